#ifndef HAYWIRE_CZLIB_SHIM_H
#define HAYWIRE_CZLIB_SHIM_H

#include <zlib.h>

#endif
