#ifndef GLOSS_CMAPPEDFILES_H
#define GLOSS_CMAPPEDFILES_H

#include <signal.h>
#include <stddef.h>

/// Registers `size` bytes mapped from a file at `base`, so that a SIGBUS on them (the file
/// was truncated, or its storage failed, after it was mapped) is survived: the pages from
/// the faulting one to the end of the mapping are replaced with zeros, the fault is
/// recorded (`gloss_mapping_faulted_slot`) and the faulting read goes on.
/// Installs the SIGBUS handler at the first call. Returns the slot (0 or more) for
/// `gloss_mapping_unregister`, or -1 when all 64 slots are taken (the mapping is then
/// unprotected, as before).
int gloss_mapping_register(const void *base, size_t size);

/// Forgets the mapping in `slot` (a value `gloss_mapping_register` returned), before it is
/// unmapped.
void gloss_mapping_unregister(int slot);

/// Handles a SIGBUS described by `info` when its address lies in a registered mapping:
/// returns 1 after replacing the pages and recording the fault, 0 when the fault is not on
/// a registered mapping. Async-signal-safe, for a crash handler that takes over SIGBUS.
int gloss_mapping_handle_fault(const siginfo_t *info);

/// The slot whose mapping faulted first, or -1 when none has.
int gloss_mapping_faulted_slot(void);

/// 1 when the mapping registered in `slot` has faulted since it was registered, else 0.
int gloss_mapping_faulted(int slot);

/// Sets a pipe's write end to which the handler writes one byte, SIGBUS's number, at the
/// first fault, and then holds the faulting thread (up to a second) so that whoever reads
/// the pipe ends the process before more of the zeros are used. -1 turns both off.
void gloss_mapping_notify(int descriptor);

#endif
