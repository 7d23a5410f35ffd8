// libharu, the PDF writer of BoletoRender (Debian: libhpdf-dev).
#include <hpdf.h>
