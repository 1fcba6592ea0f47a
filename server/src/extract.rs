//! What a handler receives, by type: who is calling (`User`, `Office`, `Admin`) and what they
//! sent (`ApiJson`, `ApiQuery`, `ApiPath`, `Id`). Each refuses with the API's own JSON error,
//! so a handler's signature says who may call it and no handler words a rejection itself.

use crate::api_error::ApiError;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use domain::{Customer, Priority, Promise, Role, UserSummary, Visit};
use serde::de::DeserializeOwned;
use service::CurrentUser;
use std::marker::PhantomData;
use uuid::Uuid;

/// What a route does, in words that finish "Only the office can …" ("list customers"). The
/// route table puts it on each route (`routes::Routes`), so a refusal names what was refused.
#[derive(Clone, Copy, Debug)]
pub struct Does(pub &'static str);

fn does(parts: &Parts) -> &'static str {
    parts
        .extensions
        .get::<Does>()
        .map_or("do this", |Does(what)| what)
}

/// Whoever is signed in (a session or an API token); 401 for nobody. The session gate puts
/// the `CurrentUser` in.
pub struct User(pub UserSummary);

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .map(|CurrentUser(user)| User(user.clone()))
            .ok_or(ApiError::Unauthorized)
    }
}

/// Someone in the office, or an admin (a token acts for the admin who made it); a
/// technician is told to ask the office.
pub struct Office(pub UserSummary);

impl<S: Send + Sync> FromRequestParts<S> for Office {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let User(user) = User::from_request_parts(parts, state).await?;
        match user.role {
            Role::Office | Role::Admin => Ok(Office(user)),
            Role::Technician => Err(ApiError::Forbidden(format!(
                "Only the office can {}; ask someone in the office.",
                does(parts)
            ))),
        }
    }
}

/// The admin only.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "no admin-only JSON route yet (the admin's pages are server functions); \
                  the next one takes `Admin` instead of checking the role by hand"
    )
)]
pub struct Admin(pub UserSummary);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let User(user) = User::from_request_parts(parts, state).await?;
        match user.role {
            Role::Admin => Ok(Admin(user)),
            Role::Office | Role::Technician => Err(ApiError::Forbidden(format!(
                "Only an admin can {}; ask your admin.",
                does(parts)
            ))),
        }
    }
}

/// A JSON body, or a 400 that says what the server expected (413 when it is too large).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(body)) => Ok(ApiJson(body)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge(
                "The request is larger than the API accepts; send less at once.".into(),
            )),
            Err(r) => Err(ApiError::BadRequest(format!(
                "The JSON body is not valid: {}",
                r.body_text()
            ))),
        }
    }
}

/// The query string, or a 400 that says what was wrong with it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(query) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(query))
    }
}

/// A path's parameters other than ids (a file name), or a 400 that says what was wrong.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|r: PathRejection| {
                ApiError::BadRequest(format!("The address is not valid: {}", r.body_text()))
            })
    }
}

/// What an id in a path names, for the message when it is not an id at all.
pub trait Named {
    const NAME: &'static str;
}

impl Named for Customer {
    const NAME: &'static str = "customer";
}
impl Named for Priority {
    const NAME: &'static str = "priority";
}
impl Named for Promise {
    const NAME: &'static str = "promise";
}
impl Named for Visit {
    const NAME: &'static str = "visit";
}

/// The id of a `T` in the path (`/customers/{id}`); anything else is a 400 that names what
/// the id is for ("That is not a valid customer id.").
pub struct Id<T>(pub Uuid, pub PhantomData<fn() -> T>);

impl<T: Named, S: Send + Sync> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<Uuid>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id, PhantomData)),
            Err(_) => Err(ApiError::BadRequest(format!(
                "That is not a valid {} id.",
                T::NAME
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request's parts as the session gate and the route table leave them.
    fn parts(role: Option<Role>, does: Option<&'static str>) -> Parts {
        let mut req = axum::http::Request::new(());
        if let Some(role) = role {
            req.extensions_mut().insert(CurrentUser(UserSummary {
                id: Uuid::nil(),
                email: "someone@rapport.example".into(),
                name: "Someone".into(),
                role,
            }));
        }
        if let Some(does) = does {
            req.extensions_mut().insert(Does(does));
        }
        req.into_parts().0
    }

    /// The status and message a refusal answers with.
    fn refusal(e: ApiError) -> String {
        match e {
            ApiError::Unauthorized => "401".into(),
            ApiError::Forbidden(m) => format!("403 {m}"),
            other => panic!("not an access refusal: {other:?}"),
        }
    }

    #[tokio::test]
    async fn each_extractor_lets_in_exactly_its_roles() {
        use Role::*;
        for (role, user, office, admin) in [
            (None, false, false, false),
            (Some(Technician), true, false, false),
            (Some(Office), true, true, false),
            (Some(Admin), true, true, true),
        ] {
            let p = || parts(role, Some("export data"));
            let got = User::from_request_parts(&mut p(), &()).await.is_ok();
            assert_eq!(got, user, "User as {role:?}");
            let got = super::Office::from_request_parts(&mut p(), &()).await;
            let got = got.map(|super::Office(u)| u.role).ok();
            assert_eq!(got, role.filter(|_| office), "Office as {role:?}");
            let got = super::Admin::from_request_parts(&mut p(), &()).await;
            let got = got.map(|super::Admin(u)| u.role).ok();
            assert_eq!(got, role.filter(|_| admin), "Admin as {role:?}");
        }
    }

    #[tokio::test]
    async fn a_refusal_says_who_may_and_what_was_refused() {
        let office = |role, does| async move {
            let refused = super::Office::from_request_parts(&mut parts(role, does), &()).await;
            refusal(refused.err().expect("refused"))
        };
        assert_eq!(office(None, Some("export data")).await, "401");
        assert_eq!(
            office(Some(Role::Technician), Some("export data")).await,
            "403 Only the office can export data; ask someone in the office."
        );
        // A route outside the tables still refuses, in general words.
        assert_eq!(
            office(Some(Role::Technician), None).await,
            "403 Only the office can do this; ask someone in the office."
        );
        let admin = super::Admin::from_request_parts(
            &mut parts(Some(Role::Office), Some("sign devices out")),
            &(),
        )
        .await;
        assert_eq!(
            refusal(admin.err().expect("refused")),
            "403 Only an admin can sign devices out; ask your admin."
        );
    }
}
