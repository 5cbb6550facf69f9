//! A throw-away Postgres for the indexer's Postgres mode: Debian's binaries, `initdb` into a temp
//! folder and `postgres` on a free port, as the `postgres` user when the tests run as root
//! (Postgres refuses root). Stopped and removed when dropped.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::process::{self, Result, Service};

const BIN: &str = "/usr/lib/postgresql/15/bin";

pub struct Postgres {
    /// Held so that the server stops with this value (after `pg_ctl stop` in `drop`).
    _server: Service,
    pub port: u16,
    pub dir: PathBuf,
}

fn as_postgres_user(program: &str) -> Command {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(format!("{BIN}/{program}"));
        command
    } else {
        Command::new(format!("{BIN}/{program}"))
    }
}

impl Postgres {
    pub fn start(label: &str) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("assay-postgres-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status();
            if !status.is_ok_and(|s| s.success()) {
                return Err(format!("cannot give {} to the postgres user", dir.display()));
            }
        }
        let data = dir.join("data");
        let log = dir.join("postgres.log");
        let init = as_postgres_user("initdb")
            .args(["-U", "postgres", "--auth=trust", "--encoding=UTF8", "-D"])
            .arg(&data)
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        if !init.status.success() {
            return Err(format!("initdb failed: {}", String::from_utf8_lossy(&init.stderr)));
        }
        let port = process::free_port()?;
        let mut service = Service::start(
            "postgres",
            as_postgres_user("postgres")
                .arg("-D")
                .arg(&data)
                .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-k"])
                .arg(&dir)
                .current_dir(&dir),
            &log,
        )?;
        process::wait_for_port("postgres", port, &mut service, Duration::from_secs(60))?;
        // Accepting connections a moment after the port opens.
        std::thread::sleep(Duration::from_millis(500));
        Ok(Self { _server: service, port, dir })
    }

    pub fn url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Stop the server (the Service's own drop would come after this) before removing its files.
        let _ =
            as_postgres_user("pg_ctl").arg("stop").arg("-D").arg(self.dir.join("data")).args(["-m", "fast"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
