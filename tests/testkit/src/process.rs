//! Processes the tests start: free loopback ports, guards that stop what was started (also on
//! panic), and commands run to completion with their output captured.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;

/// A free TCP port on 127.0.0.1 (free when asked; callers retry if someone takes it first).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the bound port: {e}"))
}

/// Waits until something accepts TCP connections on `port`, or `deadline` passes.
pub fn wait_for_port(port: u16, deadline: Duration, child: &mut Child, what: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        if let Ok(stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) {
            // Nothing listening on an ephemeral port, the kernel may pick that very port as the
            // connection's source and connect it to itself (a TCP simultaneous open): that is
            // not the server.
            if !connected_to_itself(&stream) {
                return Ok(());
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{what} exited before listening on port {port} ({status})"
            ));
        }
        if start.elapsed() > deadline {
            return Err(format!(
                "{what} did not listen on port {port} within {deadline:?}"
            ));
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `stream` is a loopback connection of a socket to itself.
fn connected_to_itself(stream: &TcpStream) -> bool {
    matches!((stream.local_addr(), stream.peer_addr()), (Ok(l), Ok(p)) if l == p)
}

/// Starts a server on a free loopback port and waits until it listens: `command(port)` makes
/// its command (make it with [`tethered`], so that the server also stops when this process dies
/// without unwinding), which is started as a [`GroupGuard`] and given `deadline` to listen. A
/// port someone took first, or a server that did not come up, is tried again on another port,
/// three times in all; the error is the last attempt's, followed by what `explain` says then
/// (for example the server's log).
pub fn spawn_on_free_port(
    name: &str,
    deadline: Duration,
    mut command: impl FnMut(u16) -> Result<Command>,
    mut explain: impl FnMut() -> String,
) -> Result<(GroupGuard, u16)> {
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let mut server = GroupGuard::spawn(&mut command(port)?, name)?;
        match wait_for_port(port, deadline, server.child(), name) {
            Ok(()) => return Ok((server, port)),
            Err(e) => last_error = format!("{e}{}", explain()),
        }
    }
    Err(last_error)
}

/// A child process killed (and reaped) on drop.
#[derive(Debug)]
pub struct ChildGuard {
    /// The process.
    pub child: Child,
    /// What it is, for messages.
    pub name: String,
}

impl ChildGuard {
    /// Guards `child`.
    pub fn new(child: Child, name: impl Into<String>) -> Self {
        ChildGuard {
            child,
            name: name.into(),
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process started in its own process group; on drop the whole group gets SIGTERM, then
/// SIGKILL if it is still there after a few seconds (for `cargo lambda watch`, which starts
/// `cargo run` and the function beneath it, and for servers started with [`tethered`]).
#[derive(Debug)]
pub struct GroupGuard {
    guard: ChildGuard,
}

impl GroupGuard {
    /// Starts `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command, name: &str) -> Result<Self> {
        use std::os::unix::process::CommandExt as _;
        let child = command
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(GroupGuard {
            guard: ChildGuard::new(child, name),
        })
    }

    /// The leader's process.
    pub fn child(&mut self) -> &mut Child {
        &mut self.guard.child
    }

    /// The leader's process id (= the process group id).
    pub fn id(&self) -> u32 {
        self.guard.id()
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let group = format!("-{}", self.guard.id());
        let signal = |sig: &str| {
            let _ = Command::new("kill")
                .args([sig, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.guard.child.try_wait(), Ok(Some(_))) {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        signal("-KILL");
    }
}

/// The watchdog [`tethered`] runs: the program in the background, and a reader of our pipe that
/// kills it when the pipe closes (when this process ends in any way, including Ctrl-C or
/// SIGKILL, which run no `Drop`). The shell exits with the program's status.
const TETHER: &str = r#"exec 3<&0 0</dev/null
"$@" 3<&- &
child=$!
(cat <&3 >/dev/null 2>&1; kill "$child" 2>/dev/null) >/dev/null 2>&1 &
exec 3<&-
wait "$child""#;

/// A command that runs `program` tied to the life of this process: start it with
/// [`GroupGuard::spawn`] (drop stops the whole group, also on panic) and it also stops when
/// this process dies without unwinding. Add arguments, environment and working directory as
/// usual; leave stdin alone (it is the tether).
pub fn tethered(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new("sh");
    command
        .args([OsStr::new("-c"), OsStr::new(TETHER), OsStr::new("tethered")])
        .arg(program)
        .stdin(Stdio::piped());
    command
}

/// What a finished command printed.
#[derive(Debug)]
pub struct Finished {
    /// Exit status.
    pub status: ExitStatus,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `command` to completion with its output captured, killing it after `timeout`.
pub fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<Finished> {
    run(command, timeout, false)
}

/// Like [`run_with_timeout`], and copies each line of its output to this process's stdout or
/// stderr (as the command wrote it) as it comes, for the demo, where a person watches.
pub fn run_echoed(command: &mut Command, timeout: Duration) -> Result<Finished> {
    run(command, timeout, true)
}

fn run(command: &mut Command, timeout: Duration, echo: bool) -> Result<Finished> {
    let what = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let out = child.stdout.take();
    let err = child.stderr.take();
    let out_reader = thread::spawn(move || collect(out, echo.then(std::io::stdout)));
    let err_reader = thread::spawn(move || collect(err, echo.then(std::io::stderr)));
    let mut guard = ChildGuard::new(child, what.clone());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match guard.child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => return Err(format!("{what} did not finish within {timeout:?}")),
            Err(e) => return Err(format!("waiting for {what}: {e}")),
        }
    };
    Ok(Finished {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

/// Reads `stream` to its end, copying each line to `echo` as it arrives.
fn collect(stream: Option<impl Read>, mut echo: Option<impl Write>) -> String {
    let Some(stream) = stream else {
        return String::new();
    };
    let mut reader = BufReader::new(stream);
    let mut text = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if let Some(echo) = echo.as_mut() {
                    let _ = echo.write_all(&line);
                    let _ = echo.flush();
                }
                text.extend_from_slice(&line);
            }
        }
    }
    String::from_utf8_lossy(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True while a process with this id exists (and is not a zombie).
    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            !stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim()
                .starts_with('Z')
        })
    }

    /// The id of the process `pid` started, as it wrote it to `file`.
    fn read_pid(file: &std::path::Path) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "no pid written");
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_gone(pid: u32) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while alive(pid) {
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(20));
        }
        true
    }

    fn sleeper(dir: &tempfile::TempDir) -> (Command, std::path::PathBuf) {
        let pid_file = dir.path().join("pid");
        let mut command = tethered("sh");
        command
            .arg("-c")
            .arg(r#"echo $$ > "$0"; exec sleep 60"#)
            .arg(&pid_file)
            .stderr(Stdio::null());
        (command, pid_file)
    }

    #[test]
    fn dropping_the_guard_stops_a_tethered_program() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut command, pid_file) = sleeper(&dir);
        let guard = GroupGuard::spawn(&mut command, "sleeper").expect("spawn");
        let pid = read_pid(&pid_file);
        assert!(alive(pid));
        drop(guard);
        assert!(wait_gone(pid), "the program outlived its guard");
    }

    #[test]
    fn a_tethered_program_stops_when_its_parent_goes_away() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut command, pid_file) = sleeper(&dir);
        let mut guard = GroupGuard::spawn(&mut command, "sleeper").expect("spawn");
        let pid = read_pid(&pid_file);
        // What the parent's death does to the tether: the pipe's write end closes.
        drop(guard.child().stdin.take());
        assert!(wait_gone(pid), "the program outlived the tether");
        let status = guard.child().wait().expect("the watchdog ends");
        assert!(!status.success(), "{status}");
    }

    #[test]
    fn a_tethered_program_that_exits_ends_its_watchdog_with_its_status() {
        let mut command = tethered("sh");
        command.args(["-c", "exit 7"]);
        let mut guard = GroupGuard::spawn(&mut command, "exit 7").expect("spawn");
        // `Child::wait` closes stdin first, which is the tether: held here, the program's own
        // exit ends the watchdog, not the tether's kill racing it (exit 143 on a busy machine).
        let _tether = guard.child().stdin.take();
        let status = guard.child().wait().expect("wait");
        assert_eq!(status.code(), Some(7));
    }

    #[test]
    fn a_connection_to_a_listener_is_not_one_to_itself() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
        assert!(!connected_to_itself(&stream));
    }

    #[test]
    fn a_server_is_started_on_a_free_port_or_the_last_failure_is_told() {
        // A listener on the port it is given.
        let listen = "import socket, sys, time\n\
                      s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()\n\
                      time.sleep(60)";
        let mut ports = Vec::new();
        let (guard, port) = spawn_on_free_port(
            "listener",
            Duration::from_secs(30),
            |port| {
                ports.push(port);
                let mut command = tethered("python3");
                command.args(["-c", listen, &port.to_string()]);
                Ok(command)
            },
            String::new,
        )
        .expect("a listening server");
        assert_eq!(ports, [port]);
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());
        drop(guard);

        // A server that exits at once: three tries, then its last failure and the explanation.
        let mut tries = 0;
        let err = spawn_on_free_port(
            "quitter",
            Duration::from_secs(30),
            |_| {
                tries += 1;
                let mut command = tethered("sh");
                command.args(["-c", "exit 3"]);
                Ok(command)
            },
            || "; it said nothing".to_owned(),
        )
        .expect_err("nothing listens");
        assert_eq!(tries, 3);
        assert!(
            err.contains("quitter exited before listening") && err.ends_with("; it said nothing"),
            "{err}"
        );
    }

    #[test]
    fn run_captures_output_and_status_and_stops_at_the_timeout() {
        let done = run_with_timeout(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(30),
        )
        .expect("ran");
        assert_eq!(
            (
                done.status.code(),
                done.stdout.as_str(),
                done.stderr.as_str()
            ),
            (Some(3), "out\n", "err\n")
        );
        let err = run_with_timeout(Command::new("sleep").arg("60"), Duration::from_millis(200))
            .expect_err("times out");
        assert!(err.contains("did not finish within"), "{err}");
    }
}
