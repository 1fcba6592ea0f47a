//! Building and running the server, in a way tests can drive (port 0, temp database).

use crate::body_limit::{self, MAX_BODY_BYTES};
use crate::config::Config;
use crate::state::ServerState;
use crate::{health, session};
use anyhow::Context;
use app::{shell, App};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use service::{AppState, Clock};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: ServerState,
    /// The hourly plan job lives as long as the server: it holds the database pool.
    roller: StopOnDrop,
}

/// Stops a background task when the server that owns it goes (also when a test drops it).
struct StopOnDrop(tokio::task::JoinHandle<()>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Application {
    /// Opens and migrates the database, seeds demo data if asked, and binds the listener.
    pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Application> {
        let clock_offset = config
            .test_clock
            .then(|| std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0)));
        let clock = match &clock_offset {
            Some(offset) => Clock::adjustable(offset.clone()),
            None => clock,
        };
        let store = store::connect(&config.database_url)
            .await
            .with_context(|| {
                let url = crate::config::redact_url(&config.database_url);
                format!("opening the database at {url}")
            })?;
        let time_zone =
            crate::setup::time_zone(store.as_ref(), config.time_zone.as_deref()).await?;
        let app = AppState {
            store,
            clock,
            time_zone,
            secure_cookies: config.secure_cookies,
            trusted_proxy: config.trusted_proxy,
        };
        if config.demo {
            crate::setup::seed_demo_if_empty(&app).await?;
        }
        let roller = StopOnDrop(crate::setup::spawn_plan_roller(app.clone()));
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let leptos = leptos_options(&config, addr);
        let service_worker = crate::service_worker::script(&config.site_root, "pkg").into();
        let state = ServerState {
            app,
            leptos,
            service_worker,
            clock_offset,
        };
        Ok(Application {
            listener,
            router: router(state.clone()),
            state,
            roller,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until Ctrl-C or SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let _roller = self.roller;
        // With the peer's address (the login throttle counts failures per client address), and
        // every API error as JSON.
        let service = crate::api_error::with_json_errors(self.router)
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")
    }
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("rapport")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(env)
        .build()
}

/// The whole HTTP surface: health, the session gate, the Leptos pages and server functions,
/// and the built static files.
pub fn router(state: ServerState) -> Router {
    let routes = generate_route_list(App);
    let app_state = state.app.clone();
    let leptos = state.leptos.clone();
    let mut router = Router::new();
    if state.clock_offset.is_some() {
        router = router.route("/api/test/clock", post(crate::test_clock::advance));
    }
    router
        .route("/", get(session::home))
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(crate::service_worker::serve))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                leptos::prelude::provide_context(app_state.clone());
                crate::headers::provide_nonce();
            },
            move || shell(leptos.clone()),
        )
        .merge(crate::routes::ordinary().into_router())
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(crate::headers::provide_nonce, shell))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Merged after the ordinary limit: these take a whole file, and set their own limit.
        .merge(crate::routes::large_bodies().into_router())
        .layer(axum::middleware::from_fn(
            body_limit::refuse_declared_too_large,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::gate,
        ))
        .layer(axum::middleware::from_fn(explain_too_large))
        .layer(axum::middleware::from_fn(crate::headers::security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        // Outermost, so the span above and every log line under it carry the id.
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Each request's span: its method, path and id (`x-request-id`, also sent back, so a
/// person reporting a failure can quote it), and the user, which the session gate records
/// once it knows them.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        // Quoted and escaped: a client may send its own id, and must not pass off text of
        // its choosing as other fields of the line.
        request_id = ?request_id,
        user = tracing::field::Empty,
    )
}

/// The body limit's own 413 says only "length limit exceeded"; say what to do instead.
async fn explain_too_large(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() != axum::http::StatusCode::PAYLOAD_TOO_LARGE || is_json {
        return res;
    }
    body_limit::too_large(&path)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
