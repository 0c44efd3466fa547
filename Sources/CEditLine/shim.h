// libedit's readline-compatible API. Include the editline header explicitly: GNU readline's
// headers may also be installed and must not be picked up.
#include <stdio.h>
#include <editline/readline.h>
