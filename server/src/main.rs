use anyhow::Context;
use clap::Parser;
use server::config::Command;
use server::{Application, Config};
use service::Clock;
use std::io::Read;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    // At least two workers, also on a one-core machine: Leptos's streamed pages have been seen
    // to stall on a single-threaded runtime (leptos-rs/leptos#4647).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();

    if let Some(Command::CopyToPostgres { to }) = &config.command {
        if !config.database_url.starts_with("sqlite:") {
            anyhow::bail!("DATABASE_URL must name the SQLite database to copy from");
        }
        let report = store::copy::sqlite_to_postgres(&config.database_url, to)
            .await
            .context("copying to PostgreSQL")?;
        for (table, rows) in report {
            println!("{table:<20} {rows:>8} rows");
        }
        // Printed without its password: terminals and CI logs are kept.
        let shown = server::config::redact_url(to);
        println!("Copied. Start Rapport with DATABASE_URL={shown}");
        return Ok(());
    }

    if let Some(Command::CreateAdmin { email, name }) = &config.command {
        let password = match std::env::var("RAPPORT_ADMIN_PASSWORD") {
            Ok(p) => p,
            Err(_) => {
                let mut p = String::new();
                std::io::stdin()
                    .read_to_string(&mut p)
                    .context("reading the password from stdin")?;
                p.trim_end_matches(['\r', '\n']).to_string()
            }
        };
        let store = store::connect(&config.database_url).await?;
        server::setup::create_admin(store.as_ref(), email, name, &password).await?;
        println!("Created admin {email}.");
        return Ok(());
    }

    tracing::info!(
        database = %server::config::redact_url(&config.database_url),
        "starting"
    );
    let demo = config.demo;
    let app = Application::build(config, Clock::system()).await?;
    let url = format!("http://{}", app.address());
    println!("Rapport is running at {url}");
    if demo {
        println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
        for (name, email, role) in demo::DEMO_USERS {
            println!("  {email:<26} {role:<10} {name}");
        }
    }
    app.run_until_stopped().await
}
