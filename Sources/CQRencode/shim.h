// libqrencode, the QR encoder of BoletoRender (Debian: libqrencode-dev).
#include <qrencode.h>
