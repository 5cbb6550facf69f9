//! The deployer's key: an encrypted keystore (Foundry's `cast wallet` format) with its password
//! from a file or typed on the terminal, or, for CI, a raw key from `$ASSAY_DEPLOYER_PRIVATE_KEY`.
//!
//! A typed password never touches the disk nor a command line: each `cast`/`forge` child reads it
//! from an in-memory file as its `--password-file /dev/fd/3`.

use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use alloy_primitives::Address;

use super::endpoint::cast_error;
use crate::paths::Paths;
use crate::process::Result;

/// A secret that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Where the keystore's password comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// `--password-file FILE` (its trailing newline ignored, as Foundry does).
    File(PathBuf),
    /// Typed on the terminal when needed (see [`Key::unlocked`]).
    Prompt,
    /// Already known (typed earlier).
    Given(Secret),
}

/// The deployer's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Keystore {
        file: PathBuf,
        password: Password,
    },
    /// `$ASSAY_DEPLOYER_PRIVATE_KEY`, for CI: forge takes it on its command line (`--private-key`),
    /// which other users of the machine can read; a workstation uses a keystore.
    PrivateKey(Secret),
}

/// The descriptor a child reads a typed password from.
const PASSWORD_FD: i32 = 3;

/// Keeps a child's in-memory password file open until the child has started.
pub struct Handover {
    _file: Option<OwnedFd>,
}

impl Key {
    /// The key with its password typed in, if it is to be typed: asked once, on the terminal.
    pub fn unlocked(self) -> Result<Self> {
        match self {
            Self::Keystore { file, password: Password::Prompt } => {
                let password = prompt_password(&file)?;
                Ok(Self::Keystore { file, password: Password::Given(password) })
            }
            other => Ok(other),
        }
    }

    /// Adds the wallet flags `cast wallet address` and `forge script` share. The returned value
    /// must live until `command` has been spawned.
    pub fn pass_to(&self, command: &mut Command) -> Result<Handover> {
        // Only the key given here: no keystore or password from the caller's environment.
        for foundry_variable in ["ETH_KEYSTORE", "ETH_KEYSTORE_ACCOUNT", "ETH_PASSWORD", "ETH_FROM"] {
            command.env_remove(foundry_variable);
        }
        match self {
            Self::PrivateKey(key) => {
                command.arg("--private-key").arg(key.expose());
                Ok(Handover { _file: None })
            }
            Self::Keystore { file, password } => {
                command.arg("--keystore").arg(file);
                match password {
                    Password::File(path) => {
                        command.arg("--password-file").arg(path);
                        Ok(Handover { _file: None })
                    }
                    Password::Given(secret) => Ok(Handover { _file: Some(memory_file(command, secret)?) }),
                    Password::Prompt => Err("the keystore password was not asked for yet".to_owned()),
                }
            }
        }
    }

    /// The deployer's address; opening the keystore here is what refuses a wrong password before
    /// anything is sent.
    pub fn address(&self, paths: &Paths) -> Result<Address> {
        let mut command = Command::new(paths.cast());
        command.args(["wallet", "address"]).current_dir(&paths.root).stdin(Stdio::null());
        let handover = self.pass_to(&mut command)?;
        let output = command.output().map_err(|e| format!("cannot run cast: {e}"))?;
        drop(handover);
        if !output.status.success() {
            let said = cast_error(&String::from_utf8_lossy(&output.stderr));
            return Err(match self {
                Self::Keystore { file, .. } if said.contains("Mac Mismatch") => {
                    format!("the password does not open the keystore {}", file.display())
                }
                Self::Keystore { file, .. } => format!("cannot open the keystore {}: {said}", file.display()),
                Self::PrivateKey(_) => format!("ASSAY_DEPLOYER_PRIVATE_KEY is not a usable private key: {said}"),
            });
        }
        let text = String::from_utf8_lossy(&output.stdout);
        text.trim().parse().map_err(|_| format!("cast wallet address printed {text:?}, not an address"))
    }
}

/// Writes `secret` into an anonymous in-memory file (`memfd_create`) that `command`'s child reads
/// as `/dev/fd/3`. (Not a pipe: Foundry wants a regular file.)
fn memory_file(command: &mut Command, secret: &Secret) -> Result<OwnedFd> {
    // SAFETY: a plain syscall with a NUL-terminated name; the descriptor closes on exec unless
    // dup2'd below.
    let fd = unsafe { libc::memfd_create(c"assay-keystore-password".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(format!("cannot hold the password in memory: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: the descriptor was just created and is owned by nothing else.
    let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    file.write_all(secret.expose().as_bytes()).map_err(|e| format!("cannot pass the password on: {e}"))?;
    let owned = OwnedFd::from(file);
    let raw = owned.as_raw_fd();
    // SAFETY: dup2 and fcntl are async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let result =
                if raw == PASSWORD_FD { libc::fcntl(raw, libc::F_SETFD, 0) } else { libc::dup2(raw, PASSWORD_FD) };
            if result < 0 { Err(std::io::Error::last_os_error()) } else { Ok(()) }
        });
    }
    command.arg("--password-file").arg(format!("/dev/fd/{PASSWORD_FD}"));
    Ok(owned)
}

/// Asks for the keystore's password on the terminal, not echoed.
fn prompt_password(keystore: &Path) -> Result<Secret> {
    let no_terminal = |e: std::io::Error| {
        format!("no terminal to ask for the password of {} ({e}); pass --password-file FILE", keystore.display())
    };
    let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").map_err(no_terminal)?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it for a descriptor we hold open.
    let mut settings: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut settings) } != 0 {
        return Err(no_terminal(std::io::Error::last_os_error()));
    }
    let original = settings;
    settings.c_lflag &= !libc::ECHO;
    settings.c_lflag |= libc::ECHONL;
    // SAFETY: as above; the original settings are put back below whatever the read gives.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &settings) };
    let read = (|| {
        let mut writer = &tty;
        write!(writer, "Password of the keystore {}: ", keystore.display())?;
        writer.flush()?;
        let mut line = String::new();
        BufReader::new(&tty).read_line(&mut line)?;
        Ok::<_, std::io::Error>(line)
    })();
    // SAFETY: as above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &original) };
    let line = read.map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(Secret::new(line.trim_end_matches(['\r', '\n'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let key = Key::PrivateKey(Secret::new("0xac09"));
        assert!(!format!("{key:?}").contains("ac09"), "{key:?}");
    }

    #[test]
    fn a_given_password_reaches_the_child_in_memory_not_in_its_arguments() {
        let key = Key::Keystore { file: PathBuf::from("/k"), password: Password::Given(Secret::new("typed secret")) };
        // `sh -c SCRIPT ARG0 ARG1…`: the flags are $0 to $3, the password file $3.
        let mut command = Command::new("sh");
        command.args(["-c", r#"cat "$3""#]);
        let handover = key.pass_to(&mut command).unwrap();
        let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args[2..], ["--keystore", "/k", "--password-file", "/dev/fd/3"]);
        let output = command.output().unwrap();
        drop(handover);
        assert_eq!(String::from_utf8_lossy(&output.stdout), "typed secret");
    }

    #[test]
    fn a_password_file_and_a_raw_key_are_passed_as_flags() {
        let mut command = Command::new("true");
        let key = Key::Keystore { file: PathBuf::from("/k"), password: Password::File(PathBuf::from("/p")) };
        key.pass_to(&mut command).unwrap();
        let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["--keystore", "/k", "--password-file", "/p"]);
        let mut command = Command::new("true");
        Key::PrivateKey(Secret::new("0x01")).pass_to(&mut command).unwrap();
        let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["--private-key", "0x01"]);
        let envs: Vec<_> = command.get_envs().filter(|(_, v)| v.is_none()).map(|(k, _)| k.to_owned()).collect();
        assert!(envs.iter().any(|k| k == "ETH_KEYSTORE"), "Foundry's own key variables are removed: {envs:?}");
    }
}
