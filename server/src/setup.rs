//! First-start work: the organisation's time zone, demo data, the first admin.

use anyhow::{bail, Context};
use chrono_tz::Tz;
use domain::Role;
use service::AppState;
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
    demo::seed(app.store.as_ref(), app.today(), app.clock.now())
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
    let (name, email) = match app::auth::check_admin(name, email) {
        Ok(checked) => checked,
        Err(m) => bail!(m),
    };
    if let Err(m) = check_new_password(password) {
        bail!(m);
    }
    let user = NewUser {
        email,
        name,
        role: Role::Admin,
        password_hash: hash_password(password),
    };
    store.create_user(user, chrono::Utc::now()).await?;
    Ok(())
}

/// Keeps every service plan's visits generated eight weeks ahead as the days pass. Generation
/// is idempotent, so running it often (and on several instances) never duplicates a visit.
pub async fn roll_plans_forward(app: &AppState) -> anyhow::Result<store::Generated> {
    let today = app.today();
    let horizon = today + chrono::Duration::weeks(domain::plan::HORIZON_WEEKS);
    let mut total = store::Generated::default();
    for plan in app.store.all_plans().await? {
        let made = app
            .store
            .generate_visits(plan.id, today, horizon, app.clock.now())
            .await?;
        total.created += made.created;
        total.updated += made.updated;
        total.removed += made.removed;
    }
    Ok(total)
}

/// Runs [`roll_plans_forward`] now and every hour, logging what it did.
pub fn spawn_plan_roller(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match roll_plans_forward(&app).await {
                Ok(made) if made.created > 0 => {
                    tracing::info!(created = made.created, "plans rolled forward")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("rolling plans forward failed: {e:#}"),
            }
        }
    })
}
