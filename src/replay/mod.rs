//! Sessions as scenario + seed + action log, and their link codec.
