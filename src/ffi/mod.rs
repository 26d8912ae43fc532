//! The C boundary: raw pointers to Rust values and back, malloc-owned strings, handles,
//! the thread-local last error and panic containment. No logic lives here.
