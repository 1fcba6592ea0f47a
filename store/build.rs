// The migrations are embedded at compile time (`sqlx::migrate!`): a new file must rebuild.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
