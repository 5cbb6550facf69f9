//! Child processes: long-running services that are always stopped, and commands whose output
//! is both shown and kept.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Result<T> = std::result::Result<T, String>;

/// Makes a child die with the task runner (even on SIGKILL) and keeps it out of the terminal's
/// process group, so Ctrl-C reaches only the runner, which then stops children in order.
pub fn detach(command: &mut Command) -> &mut Command {
    command.process_group(0);
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    command
}

/// Opens `log` for appending, twice: one handle for stdout, one for stderr.
fn open_log(log: &Path) -> Result<(std::fs::File, std::fs::File)> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let second = file.try_clone().map_err(|e| e.to_string())?;
    Ok((file, second))
}

/// A running background process, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Service {
    pub name: &'static str,
    child: Child,
}

impl Service {
    /// Starts `command` with stdout and stderr appended to `log`.
    pub fn start(name: &'static str, command: &mut Command, log: &Path) -> Result<Self> {
        let (file, err) = open_log(log)?;
        let child = detach(command)
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name} ({:?}): {e}", command.get_program()))?;
        Ok(Self { name, child })
    }

    /// Starts `command` and waits for its first stdout line (a readiness line); the rest of its
    /// output goes to `log`.
    pub fn start_with_ready_line(
        name: &'static str,
        command: &mut Command,
        log: &Path,
        timeout: Duration,
    ) -> Result<(Self, String)> {
        let (file, err) = open_log(log)?;
        let mut child = detach(command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(|l| l.ok());
            let _ = sender.send(first);
            let mut file = file;
            for line in lines.map_while(|l| l.ok()) {
                let _ = writeln!(file, "{line}");
            }
        });
        let mut service = Self { name, child };
        match receiver.recv_timeout(timeout) {
            Ok(Some(line)) => Ok((service, line)),
            Ok(None) => {
                let status = service.child.wait().ok();
                Err(format!("{name} exited before it was ready ({status:?}); see {}", log.display()))
            }
            Err(_) => Err(format!("{name} was not ready after {timeout:?}; see {}", log.display())),
        }
    }

    /// Whether the process is still running; if not, how it ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: plain syscall on our own child's pid.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on 127.0.0.1, as the kernel hands out for port 0.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Whether something already listens on 127.0.0.1:`port`.
pub fn port_in_use(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// Waits until 127.0.0.1:`port` accepts connections.
pub fn wait_for_port(name: &str, port: u16, service: &mut Service, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if port_in_use(port) {
            return Ok(());
        }
        if let Some(status) = service.exited() {
            return Err(format!("{name} exited ({status}) before listening on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{name} did not listen on port {port} within {timeout:?}"))
}

/// Where a command's output goes besides the returned text.
enum Sink {
    /// Echoed live to the terminal (stdout to stdout, stderr to stderr).
    Terminal,
    /// Appended to a log file, both streams interleaved by line.
    Log(std::fs::File),
}

/// Runs `command` to completion, echoing its output live (prefixed lines are not altered) and
/// returning it too, for suites whose counts are read from their output.
pub fn run_teed(command: &mut Command) -> Result<(ExitStatus, String)> {
    run_captured(command, Sink::Terminal)
}

/// Runs `command` to completion with its output appended to `log` (for work that runs in the
/// background while the terminal shows something else) and returned.
pub fn run_logged(command: &mut Command, log: &Path) -> Result<(ExitStatus, String)> {
    let (file, _) = open_log(log)?;
    run_captured(command, Sink::Log(file))
}

fn run_captured(command: &mut Command, sink: Sink) -> Result<(ExitStatus, String)> {
    let mut child = detach(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let captured = Arc::new(Mutex::new(String::new()));
    let sink = Arc::new(Mutex::new(sink));
    let pumps: Vec<_> = [
        Box::new(child.stdout.take().expect("piped")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("piped")),
    ]
    .into_iter()
    .enumerate()
    .map(|(index, stream)| {
        let captured = captured.clone();
        let sink = sink.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                match &mut *sink.lock().expect("not poisoned") {
                    Sink::Terminal if index == 0 => println!("{line}"),
                    Sink::Terminal => eprintln!("{line}"),
                    Sink::Log(file) => {
                        let _ = writeln!(file, "{line}");
                    }
                }
                let mut all = captured.lock().expect("not poisoned");
                all.push_str(&line);
                all.push('\n');
            }
        })
    })
    .collect();
    let status = child.wait().map_err(|e| e.to_string())?;
    for pump in pumps {
        let _ = pump.join();
    }
    let output = captured.lock().expect("not poisoned").clone();
    Ok((status, output))
}

/// Lowers the CPU priority of `command` (nice 10), for background builds that must leave the
/// cores to whatever the terminal is waiting on (a test run, the release build).
pub fn background_priority(command: &mut Command) -> &mut Command {
    // SAFETY: setpriority is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
            Ok(())
        });
    }
    command
}

/// Runs `command` to completion with inherited output; fails with `what` if it fails.
pub fn run(what: &str, command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|e| format!("{what}: cannot run {:?}: {e}", command.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed ({status})")) }
}

/// Runs `command` and returns its stdout, or `None` if it cannot run or fails.
pub fn output_of(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
