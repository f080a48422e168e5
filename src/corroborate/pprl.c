/* pprl.c: stub until the encoder lands. */
#include "corroborate/corroborate.h"
