// libxml2 is opened with dlopen on first use instead of being linked: the libxml2 of
// Debian and Ubuntu links the system's ICU and, through it, the C++ runtime, and loading
// and binding those three libraries at every start cost more than the rest of gloss's
// dynamic loading together, for plain-text documents that never parse HTML or XML.
//
// Each libxml2 function Gloss calls is defined below under its own name and forwards to
// the library's, so Swift calls libxml2 as if it were linked.
#include "CLibXML2.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *library;
static const char *loadError;
static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;

static void load(void) {
#if defined(__APPLE__)
    static const char *const names[] = {"libxml2.2.dylib", "/usr/lib/libxml2.2.dylib"};
#else
    static const char *const names[] = {"libxml2.so.2"};
#endif
    for (size_t index = 0; index < sizeof names / sizeof names[0]; index++) {
        // RTLD_LOCAL: its symbols (and ICU's) stay out of the way of everything else
        library = dlopen(names[index], RTLD_NOW | RTLD_LOCAL);
        if (library) return;
    }
    const char *reason = dlerror();
    static char message[512];
    snprintf(message, sizeof message, "%s", reason ? reason : "libxml2.so.2 was not found");
    loadError = message;
}

const char *gloss_libxml2_load_error(void) {
    pthread_once(&loadOnce, load);
    return loadError;
}

/// The library's function `name`; ends the process with a message when libxml2 cannot be
/// loaded or lacks it, which callers rule out with gloss_libxml2_load_error first.
static void *function(const char *name) {
    if (gloss_libxml2_load_error()) {
        fprintf(stderr, "gloss: libxml2 cannot be loaded: %s\n", loadError);
        abort();
    }
    void *found = dlsym(library, name);
    if (!found) {
        fprintf(stderr, "gloss: libxml2 has no function %s\n", name);
        abort();
    }
    return found;
}

// Defines `name` with libxml2's signature (the compiler checks it against the header's
// declaration), looking the library's function up once.
#define FORWARD(result, name, parameters, arguments)                                        \
    result name parameters {                                                                 \
        static result (*target) parameters;                                                  \
        result (*loaded) parameters = __atomic_load_n(&target, __ATOMIC_ACQUIRE);            \
        if (!loaded) {                                                                       \
            loaded = (result (*) parameters)function(#name);                                 \
            __atomic_store_n(&target, loaded, __ATOMIC_RELEASE);                             \
        }                                                                                    \
        return loaded arguments;                                                             \
    }

#define FORWARD_VOID(name, parameters, arguments)                                           \
    void name parameters {                                                                   \
        static void (*target) parameters;                                                    \
        void (*loaded) parameters = __atomic_load_n(&target, __ATOMIC_ACQUIRE);              \
        if (!loaded) {                                                                       \
            loaded = (void (*) parameters)function(#name);                                   \
            __atomic_store_n(&target, loaded, __ATOMIC_RELEASE);                             \
        }                                                                                    \
        loaded arguments;                                                                    \
    }

FORWARD_VOID(xmlInitParser, (void), ())
FORWARD(htmlParserCtxtPtr, htmlNewParserCtxt, (void), ())
FORWARD_VOID(htmlFreeParserCtxt, (htmlParserCtxtPtr context), (context))
FORWARD(htmlDocPtr, htmlCtxtReadMemory,
        (htmlParserCtxtPtr context, const char *buffer, int size, const char *URL, const char *encoding, int options),
        (context, buffer, size, URL, encoding, options))
FORWARD(xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *document), (document))
FORWARD_VOID(xmlFreeDoc, (xmlDocPtr document), (document))
FORWARD(xmlParserCtxtPtr, xmlCreateMemoryParserCtxt, (const char *buffer, int size), (buffer, size))
FORWARD_VOID(xmlFreeParserCtxt, (xmlParserCtxtPtr context), (context))
FORWARD(int, xmlCtxtUseOptions, (xmlParserCtxtPtr context, int options), (context, options))
FORWARD(int, xmlParseDocument, (xmlParserCtxtPtr context), (context))
FORWARD_VOID(xmlStopParser, (xmlParserCtxtPtr context), (context))
FORWARD(xmlErrorPtr, xmlCtxtGetLastError, (void *context), (context))
FORWARD(int, xmlSAX2GetLineNumber, (void *context), (context))
