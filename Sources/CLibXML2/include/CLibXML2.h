#ifndef CLIBXML2_H
#define CLIBXML2_H

// libxml2: its HTML parser and tree for the HTML importer (GlossImport), its SAX2 XML
// parser for the REFI-QDA readers (GlossCore). The library is not linked: it is loaded on
// first use (see gloss_libxml2_load_error), since loading it also loads the system's ICU
// and C++ runtime, which made every start of gloss slower.
#include <libxml/xmlversion.h>
// With ICU enabled, libxml/encoding.h includes the system's <unicode/ucnv.h>, whose
// declarations clash with the ICU Foundation bundles (another version) in any Swift module
// that imports both. ICU only adds two pointers at the end of xmlCharEncodingHandler,
// which Gloss never uses, so the headers are read as for a build without ICU.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

/// Loads libxml2 (its shared library, `libxml2.so.2`; `libxml2.2.dylib` on macOS) once,
/// for the whole process; later calls return at once. Call it before any libxml2
/// function: each of those Gloss calls is defined here and forwards to the loaded library.
/// Thread-safe.
/// Returns NULL when libxml2 is loaded, else the loader's reason (dlerror's message, or
/// the name of a function the library lacks), valid for the life of the process.
const char *gloss_libxml2_load_error(void);

#endif
