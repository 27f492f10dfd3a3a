print("haywire")
