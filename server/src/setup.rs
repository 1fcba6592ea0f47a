//! First-start work: the organisation's time zone, demo data, the first admin.

use anyhow::{bail, Context};
use app::state::AppState;
use chrono_tz::Tz;
use domain::Role;
use store::password::{check_new_password, hash_password};
use store::{NewUser, Store};

const TIME_ZONE_KEY: &str = "time_zone";

/// The organisation's time zone: the flag if given (and stored), else what was stored, else UTC.
pub async fn time_zone(store: &dyn Store, flag: Option<&str>) -> anyhow::Result<Tz> {
    if let Some(name) = flag {
        let tz: Tz = name.parse().map_err(|_| {
            anyhow::anyhow!("unknown time zone {name:?}; use an IANA name like Europe/London")
        })?;
        store.set_setting(TIME_ZONE_KEY, name).await?;
        return Ok(tz);
    }
    match store.setting(TIME_ZONE_KEY).await? {
        Some(name) => name
            .parse()
            .map_err(|_| anyhow::anyhow!("stored time zone {name:?} is unknown")),
        None => Ok(Tz::UTC),
    }
}

/// Seeds the demo into a database that has no users yet; leaves any other database alone.
pub async fn seed_demo_if_empty(app: &AppState) -> anyhow::Result<()> {
    if app.store.user_count().await? > 0 {
        return Ok(());
    }
    tracing::info!("seeding demo data");
    store::demo::seed(app.store.as_ref(), app.today(), app.clock.now())
        .await
        .context("seeding demo data")?;
    Ok(())
}

/// The `create-admin` command.
pub async fn create_admin(
    store: &dyn Store,
    email: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<()> {
    if let Err(m) = check_new_password(password) {
        bail!(m);
    }
    let user = NewUser {
        email: email.into(),
        name: name.into(),
        role: Role::Admin,
        password_hash: hash_password(password),
    };
    store.create_user(user, chrono::Utc::now()).await?;
    Ok(())
}
