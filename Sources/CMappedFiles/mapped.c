#include "CMappedFiles.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 64

// base 0 marks a free slot; the handler reads both fields with relaxed atomics, and a
// slot is published by its base after its size
static uintptr_t slot_base[SLOTS];
static size_t slot_size[SLOTS];
static int slot_faulted[SLOTS];
static int faulted_slot = -1;
static int notify_descriptor = -1;
static int handler_installed = 0;
// read once outside the handler (sysconf is not on the async-signal-safe list)
static uintptr_t page_size = 4096;
static struct sigaction previous_action;

static void bus_handler(int number, siginfo_t *info, void *context) {
    if (gloss_mapping_handle_fault(info)) return;
    // not a mapped document's: whatever handled SIGBUS before (the runtime's crash report,
    // or the default action) handles it; a fault repeats once this returns
    sigaction(number, &previous_action, NULL);
    if (info == NULL || info->si_code <= 0) raise(number);
    (void)context;
}

static void install_handler(void) {
    if (__atomic_exchange_n(&handler_installed, 1, __ATOMIC_ACQ_REL)) return;
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0) page_size = (uintptr_t)page;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = bus_handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous_action);
}

int gloss_mapping_register(const void *base, size_t size) {
    if (base == NULL || size == 0) return -1;
    install_handler();
    for (int slot = 0; slot < SLOTS; slot++) {
        uintptr_t expected = 0;
        // claim with a marker no address has, then publish the real base after the size
        if (__atomic_compare_exchange_n(&slot_base[slot], &expected, (uintptr_t)1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            __atomic_store_n(&slot_size[slot], size, __ATOMIC_RELAXED);
            __atomic_store_n(&slot_faulted[slot], 0, __ATOMIC_RELAXED);
            __atomic_store_n(&slot_base[slot], (uintptr_t)base, __ATOMIC_RELEASE);
            return slot;
        }
    }
    return -1;
}

void gloss_mapping_unregister(int slot) {
    if (slot < 0 || slot >= SLOTS) return;
    __atomic_store_n(&slot_base[slot], (uintptr_t)0, __ATOMIC_RELEASE);
}

int gloss_mapping_faulted_slot(void) { return __atomic_load_n(&faulted_slot, __ATOMIC_ACQUIRE); }

int gloss_mapping_faulted(int slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    return __atomic_load_n(&slot_faulted[slot], __ATOMIC_ACQUIRE);
}

void gloss_mapping_notify(int descriptor) { __atomic_store_n(&notify_descriptor, descriptor, __ATOMIC_RELEASE); }

int gloss_mapping_handle_fault(const siginfo_t *info) {
    if (info == NULL || info->si_code <= 0) return 0;  // sent by kill, not a fault
    uintptr_t address = (uintptr_t)info->si_addr;
    uintptr_t page = page_size;
    for (int slot = 0; slot < SLOTS; slot++) {
        uintptr_t base = __atomic_load_n(&slot_base[slot], __ATOMIC_ACQUIRE);
        if (base <= 1) continue;
        size_t size = __atomic_load_n(&slot_size[slot], __ATOMIC_RELAXED);
        if (address < base || address >= base + size) continue;
        uintptr_t start = address & ~(page - 1);
        uintptr_t end = (base + size + page - 1) & ~(page - 1);
        int saved_errno = errno;
        // zeros in place of what the file no longer has: the read that faulted, and those
        // after it, see them instead of faulting again page by page
        void *zeros = mmap((void *)start, end - start, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED) {
            errno = saved_errno;
            return 0;
        }
        __atomic_store_n(&slot_faulted[slot], 1, __ATOMIC_RELEASE);
        int none = -1;
        if (__atomic_compare_exchange_n(&faulted_slot, &none, slot, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            int descriptor = __atomic_load_n(&notify_descriptor, __ATOMIC_ACQUIRE);
            if (descriptor >= 0) {
                unsigned char byte = SIGBUS;
                ssize_t written = write(descriptor, &byte, 1);
                (void)written;
                // the reader of the pipe ends the process in far less than this
                struct timespec pause = { 0, 10 * 1000 * 1000 };
                for (int i = 0; i < 100; i++) nanosleep(&pause, NULL);
            }
        }
        errno = saved_errno;
        return 1;
    }
    return 0;
}
