# found in review: a NUL in an .include name made an invalid path, an internal error
.include "a\000b"
