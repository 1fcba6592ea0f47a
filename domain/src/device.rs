//! The phones and tablets that sync: what the admin sees of them, and how they are named.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A device that has synced, with the person it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Device {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    /// The browser's user agent from the session it last synced with.
    pub user_agent: String,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When an admin signed it out; it syncs again only after someone logs in on it anew.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Device {
    /// "Chrome on Android", "Safari on iPhone": enough for a person to tell their devices apart.
    pub fn label(&self) -> String {
        label(&self.user_agent)
    }
}

/// Names a browser and system from a user agent string; "Unknown device" when it says nothing.
pub fn label(user_agent: &str) -> String {
    // Order matters: Edge and Chrome also say "Safari"; Android also says "Linux".
    const BROWSERS: [(&str, &str); 5] = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => "Unknown device".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let cases = [
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "Chrome on Android"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1", "Chrome on iPhone"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "Edge on Windows"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Linux"),
            ("reqwest/0.12", "Unknown device"),
            ("", "Unknown device"),
        ];
        for (agent, expected) in cases {
            assert_eq!(label(agent), expected, "{agent}");
        }
    }
}
