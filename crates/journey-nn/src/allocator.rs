//! Keeps freed memory in the process for reuse. candle allocates a fresh
//! buffer for every intermediate tensor and every gradient; glibc's malloc
//! hands large blocks back to the kernel when they are freed (blocks above
//! the mmap threshold are unmapped, and the top of the heap is trimmed), so
//! the next training step maps them again and the kernel zeroes every page:
//! profiles of the seq2seq and character-LM training steps spent a quarter
//! of their time in page faults and `clear_page`. Raising the mmap threshold
//! to its maximum (32 MiB) and never trimming keeps those pages mapped.
//!
//! Call [`keep_freed_memory`] once, early in `main`. It changes only
//! allocator policy (peak resident memory may stay higher after a peak), not
//! results. A no-op where the C library is not glibc.

/// Sets glibc's `M_MMAP_THRESHOLD` to 32 MiB, `M_TOP_PAD` to 256 MiB and
/// turns heap trimming off.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes malloc's tuning parameters; it is called
    // before other threads allocate.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
        // grow the heap in large steps: fewer brk calls, fewer first touches
        libc::mallopt(libc::M_TOP_PAD, 256 << 20);
    }
}
