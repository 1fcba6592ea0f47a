# Shared by the bench scripts: runs one of the server's benchmark examples on SQLite and, when
# TEST_DATABASE_URL names a PostgreSQL server, on PostgreSQL.
#   run_on_both <example> <argument>
run_on_both() {
  local example="$1" argument="$2"
  cargo build --release -p server --example "$example"
  cargo run --quiet --release -p server --example "$example" -- sqlite "$argument"
  if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    cargo run --quiet --release -p server --example "$example" -- postgres "$argument"
  else
    echo "postgres: skipped (set TEST_DATABASE_URL, e.g. postgres://127.0.0.1:5432/test)"
  fi
}
