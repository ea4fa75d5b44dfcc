//! The collateral and liquidation engine (see the issue for its scope).
