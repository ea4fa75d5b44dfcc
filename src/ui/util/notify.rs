//! Browser notifications for alerts, only when the user granted permission.

use web_sys::{Notification, NotificationPermission};

/// Asks for permission (the browser shows its prompt once).
pub fn request_permission() {
    // The returned promise resolves with the answer; `permitted()` reads it when an alert fires.
    let _ = Notification::request_permission();
}

/// True when notifications may be shown.
pub fn permitted() -> bool {
    Notification::permission() == NotificationPermission::Granted
}

/// Shows `body` as a notification when permitted; the in-page warning is shown regardless.
pub fn notify(title: &str, body: &str) {
    if !permitted() {
        return;
    }
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    let _ = Notification::new_with_options(title, &options);
}
