//! `GET /api/v1/openapi.json`: the REST API described in OpenAPI 3.1.
//!
//! Written by hand, next to the handlers it describes; `server/tests/api/openapi.rs` calls
//! every documented operation (as documented, without a token, with an unknown id, with a bad
//! body) and checks each answer's status and shape against this document.

use axum::Json;
use serde_json::{json, Value};

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(name: &str) -> Value {
    json!({ "type": "array", "items": reference(name) })
}

/// A JSON answer of this schema.
fn answer(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn error(description: &str) -> Value {
    answer(description, reference("Error"))
}

/// The refusals every operation can give, plus its own answers.
fn responses(own: Value) -> Value {
    let mut all = json!({
        "401": error("No token or session, or a revoked or mistyped token."),
        "403": error("The caller is a technician: the API is the office's."),
    });
    for (status, response) in own.as_object().expect("an object").clone() {
        all[status] = response;
    }
    all
}

fn id_parameter(what: &str) -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "description": format!("The {what}'s id."),
        "schema": { "type": "string", "format": "uuid" }
    })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn body(schema: &str, example: Value) -> Value {
    json!({
        "required": true,
        "content": { "application/json": { "schema": reference(schema), "example": example } }
    })
}

fn nullable(kind: &str, format: Option<&str>) -> Value {
    match format {
        Some(format) => json!({ "type": [kind, "null"], "format": format }),
        None => json!({ "type": [kind, "null"] }),
    }
}

pub fn spec() -> Value {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let text = json!({ "type": "string" });
    let time = json!({ "type": "string", "format": "date-time" });
    let date = json!({ "type": "string", "format": "date" });
    let version = json!({ "type": "integer" });
    let role = json!({ "type": "string", "enum": ["technician", "office", "admin"] });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Rapport API",
            "version": "1",
            "description": "Customers, their priorities, visits and promises, for other systems. \
                Authenticate with `Authorization: Bearer <token>`; an admin makes and revokes \
                tokens on the API tokens page. A token acts for the admin who made it. Errors \
                are `{\"error\": \"…\"}` with a message a person can act on."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "token": [] }],
        "paths": {
            "/api/v1/customers": {
                "get": {
                    "operationId": "listCustomers",
                    "summary": "Customers by name, optionally matching a search.",
                    "parameters": [
                        query("search", "Part of a name, contact, address or phone.", text.clone()),
                        query("limit", "At most this many (1–1000, default 100).", json!({ "type": "integer", "minimum": 1, "maximum": 1000 })),
                    ],
                    "responses": responses(json!({
                        "200": answer("The customers.", list_of("Customer")),
                        "400": error("A limit out of range."),
                    })),
                },
                "post": {
                    "operationId": "createCustomer",
                    "summary": "Adds a customer.",
                    "requestBody": body("NewCustomer", json!({
                        "name": "Harbour Bakery",
                        "address": "1 Quay Street",
                        "phone": "0161 555 0199",
                        "access_notes": "Side door; the bell does not work"
                    })),
                    "responses": responses(json!({
                        "201": answer("The new customer; `Location` says where it lives.", reference("Customer")),
                        "400": error("A missing name, a field too long, or someone who is not an active technician."),
                    })),
                },
            },
            "/api/v1/customers/{id}": {
                "parameters": [id_parameter("customer")],
                "get": {
                    "operationId": "getCustomer",
                    "summary": "One customer.",
                    "responses": responses(json!({
                        "200": answer("The customer.", reference("Customer")),
                        "400": error("Not a valid id."),
                        "404": error("No such customer."),
                    })),
                },
                "patch": {
                    "operationId": "editCustomer",
                    "summary": "Changes the fields given; the others stay.",
                    "requestBody": body("CustomerPatch", json!({ "phone": "0161 555 0123" })),
                    "responses": responses(json!({
                        "200": answer("The customer after the change.", reference("Customer")),
                        "400": error("An invalid field, or not a valid id."),
                        "404": error("No such customer."),
                        "409": error("`version` is not the customer's current version."),
                    })),
                },
            },
            "/api/v1/customers/{id}/priorities": {
                "parameters": [id_parameter("customer")],
                "get": {
                    "operationId": "listPriorities",
                    "summary": "What matters to the customer: pinned first, then newest.",
                    "parameters": [query("retired", "Also the retired ones (history).", json!({ "type": "boolean" }))],
                    "responses": responses(json!({
                        "200": answer("The priorities.", list_of("Priority")),
                        "400": error("Not a valid id."),
                        "404": error("No such customer."),
                    })),
                },
                "post": {
                    "operationId": "addPriority",
                    "summary": "Adds a priority, in the customer's words.",
                    "requestBody": body("NewPriority", json!({ "text": "Deliveries before 7, never later", "pinned": false })),
                    "responses": responses(json!({
                        "201": answer("The new priority.", reference("Priority")),
                        "400": error("Empty or too long, or not a valid id."),
                        "404": error("No such customer."),
                    })),
                },
            },
            "/api/v1/priorities/{id}": {
                "parameters": [id_parameter("priority")],
                "patch": {
                    "operationId": "editPriority",
                    "summary": "Rewords or (un)pins a current priority.",
                    "requestBody": body("PriorityPatch", json!({ "pinned": true })),
                    "responses": responses(json!({
                        "200": answer("The priority after the change.", reference("Priority")),
                        "400": error("Empty or too long, or not a valid id."),
                        "404": error("No current priority with that id."),
                    })),
                },
                "delete": {
                    "operationId": "retirePriority",
                    "summary": "Retires a priority: it leaves the card and stays in the history.",
                    "responses": responses(json!({
                        "204": { "description": "Retired." },
                        "400": error("Not a valid id."),
                        "404": error("No current priority with that id."),
                    })),
                },
            },
            "/api/v1/visits": {
                "get": {
                    "operationId": "listVisits",
                    "summary": "Visits from one day to another (read-only: scheduling goes through the day board's continuity guard).",
                    "parameters": [
                        query("from", "First day (default today).", date.clone()),
                        query("to", "Last day (default `from`); at most 92 days in all.", date.clone()),
                        query("technician_id", "Only this technician's.", uuid.clone()),
                        query("customer_id", "Only this customer's.", uuid.clone()),
                    ],
                    "responses": responses(json!({
                        "200": answer("The visits, by day and route order.", list_of("Visit")),
                        "400": error("A bad date or id, `from` after `to`, or more than 92 days."),
                    })),
                },
            },
            "/api/v1/visits/{id}": {
                "parameters": [id_parameter("visit")],
                "get": {
                    "operationId": "getVisit",
                    "summary": "One visit.",
                    "responses": responses(json!({
                        "200": answer("The visit.", reference("Visit")),
                        "400": error("Not a valid id."),
                        "404": error("No such visit."),
                    })),
                },
            },
            "/api/v1/promises": {
                "get": {
                    "operationId": "listPromises",
                    "summary": "Promises, soonest due first.",
                    "parameters": [
                        query("status", "Only these.", json!({ "type": "string", "enum": ["open", "kept", "dropped"] })),
                        query("customer_id", "Only this customer's.", uuid.clone()),
                        query("owner_id", "Only this person's.", uuid.clone()),
                    ],
                    "responses": responses(json!({
                        "200": answer("The promises.", list_of("Promise")),
                        "400": error("A bad status or id."),
                    })),
                },
                "post": {
                    "operationId": "createPromise",
                    "summary": "Makes a promise to a customer, with an owner and a due date.",
                    "requestBody": body("NewPromise", json!({
                        "customer_id": "00000000-0000-0000-0000-000000000000",
                        "text": "Send the quote for the new boiler",
                        "due_on": "2200-01-01"
                    })),
                    "responses": responses(json!({
                        "201": answer("The new promise.", reference("Promise")),
                        "400": error("An unknown customer or owner, empty text, or a due date in the past."),
                    })),
                },
            },
            "/api/v1/promises/{id}": {
                "parameters": [id_parameter("promise")],
                "get": {
                    "operationId": "getPromise",
                    "summary": "One promise.",
                    "responses": responses(json!({
                        "200": answer("The promise.", reference("Promise")),
                        "400": error("Not a valid id."),
                        "404": error("No such promise."),
                    })),
                },
            },
            "/api/v1/promises/{id}/close": {
                "parameters": [id_parameter("promise")],
                "post": {
                    "operationId": "closePromise",
                    "summary": "Marks a promise kept, or dropped with a reason.",
                    "requestBody": body("ClosePromise", json!({ "status": "kept" })),
                    "responses": responses(json!({
                        "200": answer("The promise, closed.", reference("Promise")),
                        "400": error("Dropped without a reason, or not a valid id."),
                        "404": error("No such promise."),
                        "409": error("Already closed."),
                    })),
                },
            },
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "An API token from the API tokens page (admins)." }
            },
            "schemas": {
                "Error": {
                    "type": "object", "required": ["error"],
                    "properties": { "error": { "type": "string", "description": "What went wrong and what to do." } }
                },
                "Customer": {
                    "type": "object",
                    "required": ["id", "name", "contact_name", "address", "phone", "email", "access_notes",
                        "assigned_technician_id", "backup_technician_id", "created_at", "updated_at", "version"],
                    "properties": {
                        "id": uuid, "name": text, "contact_name": text, "address": text, "phone": text,
                        "email": text, "access_notes": text,
                        "assigned_technician_id": nullable("string", Some("uuid")),
                        "backup_technician_id": nullable("string", Some("uuid")),
                        "created_at": time, "updated_at": time,
                        "version": { "type": "integer", "description": "Changes with every edit; send it back in a PATCH to refuse edits made on an old copy." }
                    }
                },
                "NewCustomer": {
                    "type": "object", "required": ["name"], "additionalProperties": false,
                    "properties": {
                        "name": text, "contact_name": text, "address": text, "phone": text, "email": text,
                        "access_notes": text, "assigned_technician_id": uuid, "backup_technician_id": uuid
                    }
                },
                "CustomerPatch": {
                    "type": "object", "additionalProperties": false,
                    "properties": {
                        "name": text, "contact_name": text, "address": text, "phone": text, "email": text,
                        "access_notes": text,
                        "assigned_technician_id": nullable("string", Some("uuid")),
                        "backup_technician_id": nullable("string", Some("uuid")),
                        "version": version
                    }
                },
                "Priority": {
                    "type": "object",
                    "required": ["id", "customer_id", "text", "pinned", "heard_by_id", "heard_by_name",
                        "heard_role", "heard_at", "retired_at", "version"],
                    "properties": {
                        "id": uuid, "customer_id": uuid, "text": text, "pinned": { "type": "boolean" },
                        "heard_by_id": uuid, "heard_by_name": text, "heard_role": role, "heard_at": time,
                        "retired_at": nullable("string", Some("date-time")), "version": version
                    }
                },
                "NewPriority": {
                    "type": "object", "required": ["text"], "additionalProperties": false,
                    "properties": { "text": text, "pinned": { "type": "boolean" } }
                },
                "PriorityPatch": {
                    "type": "object", "additionalProperties": false,
                    "properties": { "text": text, "pinned": { "type": "boolean" } }
                },
                "Visit": {
                    "type": "object",
                    "required": ["id", "customer_id", "technician_id", "scheduled_on", "window_start",
                        "window_end", "position", "status", "arrived_at", "departed_at", "skip_reason",
                        "version", "priorities_acknowledged_at"],
                    "properties": {
                        "id": uuid, "customer_id": uuid,
                        "technician_id": nullable("string", Some("uuid")),
                        "scheduled_on": date,
                        "window_start": nullable("string", Some("time")),
                        "window_end": nullable("string", Some("time")),
                        "position": { "type": "integer" },
                        "status": { "type": "string", "enum": ["scheduled", "en_route", "on_site", "done", "skipped"] },
                        "arrived_at": nullable("string", Some("date-time")),
                        "departed_at": nullable("string", Some("date-time")),
                        "skip_reason": nullable("string", None),
                        "version": version,
                        "priorities_acknowledged_at": nullable("string", Some("date-time"))
                    }
                },
                "Promise": {
                    "type": "object",
                    "required": ["id", "customer_id", "owner_id", "text", "due_on", "status", "visit_id",
                        "closed_at", "version", "due_time", "origin", "drop_reason"],
                    "properties": {
                        "id": uuid, "customer_id": uuid, "owner_id": uuid, "text": text, "due_on": date,
                        "status": { "type": "string", "enum": ["open", "kept", "dropped"] },
                        "visit_id": nullable("string", Some("uuid")),
                        "closed_at": nullable("string", Some("date-time")),
                        "version": version,
                        "due_time": nullable("string", Some("time")),
                        "origin": { "type": "string", "enum": ["visit", "call", "continuity_break", "office"] },
                        "drop_reason": nullable("string", None)
                    }
                },
                "NewPromise": {
                    "type": "object", "required": ["customer_id", "text", "due_on"], "additionalProperties": false,
                    "properties": {
                        "customer_id": uuid, "text": text, "due_on": date,
                        "due_time": { "type": "string", "format": "time" },
                        "owner_id": { "type": "string", "format": "uuid", "description": "Who keeps it; the token's admin when absent." }
                    }
                },
                "ClosePromise": {
                    "type": "object", "required": ["status"], "additionalProperties": false,
                    "properties": {
                        "status": { "type": "string", "enum": ["kept", "dropped"] },
                        "reason": { "type": "string", "description": "Why it was dropped (required then)." }
                    }
                }
            }
        }
    })
}
