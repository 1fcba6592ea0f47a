//! A 10 000-customer CSV file through the real import endpoints: the preview, the import,
//! and the preview of the same file again (every line already as in the file).
//!
//!     cargo run --release -p server --example import_bench -- sqlite 10000
//!     TEST_DATABASE_URL=postgres://127.0.0.1:5432/test \
//!         cargo run --release -p server --example import_bench -- postgres 10000
//!
//! `bench/import.sh` runs both. The server runs in this process on a fresh database with the
//! demo data; the office's browser is reqwest over loopback.

#[path = "common/mod.rs"]
mod common;

use domain::import::{ImportRequest, ImportResult, Preview};
use server::{Application, Config};
use service::Clock;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().unwrap_or_else(|| "sqlite".into());
    let rows: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let db = common::fresh_db(&backend).await?;
    let mut config = Config::for_tests(db.url.clone());
    config.demo = true;
    let app = Application::build(config, Clock::system()).await?;
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    let office = common::logged_in(&base, "office@rapport.example").await?;

    let technicians = [
        "sam@rapport.example",
        "priya@rapport.example",
        "jake@rapport.example",
    ];
    let mut csv = String::from("Name,Contact,Address,Phone,Technician,Priorities\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Imported customer {i},Pat {i},\"{i} Mill Lane, Leeds\",0113 555 {:04},{},\"Call before coming\nSide gate, code {i}\"\n",
            i % 10_000,
            technicians[i % technicians.len()],
        ));
    }
    let request = ImportRequest {
        csv,
        ..Default::default()
    };
    let megabytes = request.csv.len() as f64 / 1_048_576.0;
    let timed = |path: &'static str, request: &ImportRequest| {
        let (office, base, request) = (office.clone(), base.clone(), request.clone());
        async move {
            let started = Instant::now();
            let res = office
                .post(format!("{base}{path}"))
                .json(&request)
                .send()
                .await?
                .error_for_status()?;
            let body = res.text().await?;
            anyhow::Ok((started.elapsed().as_secs_f64(), body))
        }
    };
    let (preview_s, body) = timed("/api/v1/import/customers/preview", &request).await?;
    let preview: Preview = serde_json::from_str(&body)?;
    anyhow::ensure!(
        preview.counts.create == rows,
        "every line creates a customer"
    );
    let seen = ImportRequest {
        based_on: Some(preview.based_on),
        ..request.clone()
    };
    let (import_s, body) = timed("/api/v1/import/customers", &seen).await?;
    let done: ImportResult = serde_json::from_str(&body)?;
    anyhow::ensure!(done.created == rows && done.priorities == 2 * rows);
    let (again_s, body) = timed("/api/v1/import/customers/preview", &request).await?;
    let again: Preview = serde_json::from_str(&body)?;
    anyhow::ensure!(
        again.counts.unchanged == rows,
        "the same file again changes nothing"
    );
    println!(
        "{backend}: {rows} customers ({megabytes:.1} MB, {} priorities): preview {preview_s:.2} s, import {import_s:.2} s ({:.0} customers/s), preview again {again_s:.2} s",
        done.priorities,
        rows as f64 / import_s,
    );
    drop(db);
    Ok(())
}
