#ifndef HAYWIRE_CDEFLATE_SHIM_H
#define HAYWIRE_CDEFLATE_SHIM_H

#include <libdeflate.h>

#endif
