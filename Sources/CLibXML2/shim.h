#ifndef BOLETOKIT_CLIBXML2_SHIM_H
#define BOLETOKIT_CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU, so its encoding header pulls in the system's ICU headers, which clash with the
// ICU module that Foundation bundles. Nothing here touches libxml2's ICU converter (only encoding handlers,
// used by pointer, hold it), so the ICU part of the headers is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer, which Swift 6 cannot read safely; this calls it.
static inline void boletokit_xml_free(void *pointer) { xmlFree(pointer); }
#endif
