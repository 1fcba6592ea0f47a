//! The versioned API's routes, one table per module. Each module's `routes()` builds its part
//! of the router from its table, and the access test reads the same tables (`endpoints()`),
//! so a route cannot be served without the test trying it.

use crate::extract::Does;
use crate::state::ServerState;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter};
use axum::{Extension, Router};

/// One route: its method, its path as the router writes it (`/api/v1/customers/{id}`), and
/// what it does, in words that finish "Only the office can …".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub does: &'static str,
}

/// A module's routes: the router and the table it was built from.
#[derive(Default)]
pub struct Routes {
    router: Router<ServerState>,
    table: Vec<Endpoint>,
}

impl Routes {
    /// Serves `handler` at `method path`, and writes the route in the table.
    pub fn at<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        does: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, ServerState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone())
            .expect("API routes use the ordinary methods (GET, POST, PATCH, DELETE)");
        let route = on(filter, handler).layer(Extension(Does(does)));
        // The router merges the methods of one path into one route.
        self.router = self.router.route(path, route);
        self.table.push(Endpoint { method, path, does });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Wraps these routes (and only these) in a layer, e.g. a larger body limit.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Error:
            Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    pub fn into_router(self) -> Router<ServerState> {
        self.router
    }

    pub fn table(&self) -> &[Endpoint] {
        &self.table
    }
}

/// The API routes that take ordinary bodies.
pub fn ordinary() -> Routes {
    crate::rest::routes()
        .merge(crate::sync::routes())
        .merge(crate::calendar::routes())
        .merge(crate::interop::export::routes())
}

/// The routes that take a whole file, outside the ordinary body limit.
pub fn large_bodies() -> Routes {
    crate::interop::import::routes()
}

/// Every versioned API route the server serves (the `--test-clock` route aside, which exists
/// only when that flag is given).
pub fn endpoints() -> Vec<Endpoint> {
    let mut all = ordinary().table;
    all.extend(large_bodies().table);
    all
}

#[cfg(test)]
mod tests {
    use super::endpoints;
    use crate::rest::{openapi::spec, takes_tokens};
    use std::collections::BTreeSet;

    /// The OpenAPI document and the route tables describe the same REST API: a route added
    /// without documentation, or documentation of a route that is gone, fails here. (Exports
    /// and the import are files, documented in the README rather than the document.)
    #[test]
    fn the_openapi_document_describes_every_rest_route_and_no_other() {
        let served: BTreeSet<(String, String)> = endpoints()
            .into_iter()
            .filter(|e| {
                takes_tokens(e.path) && !e.path.contains("/export/") && !e.path.contains("/import/")
            })
            .map(|e| (e.path.to_string(), e.method.as_str().to_lowercase()))
            .collect();
        let doc = spec();
        let documented: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .expect("the document has paths")
            .iter()
            .flat_map(|(path, ops)| {
                let ops = ops.as_object().expect("each path has operations");
                ops.keys()
                    .filter(|k| *k != "parameters")
                    .map(move |method| (path.clone(), method.clone()))
            })
            .collect();
        assert!(
            served.len() >= 9,
            "the REST routes were not found: {served:?}"
        );
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let gone: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "routes missing from server/src/rest/openapi.rs: {undocumented:?}"
        );
        assert!(gone.is_empty(), "documented but not served: {gone:?}");
    }
}
