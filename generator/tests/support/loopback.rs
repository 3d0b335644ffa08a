//! Reading HTTP/1.1 requests off a socket, for the tests' hand-written loopback servers
//! (which must be able to misbehave in ways a server library will not).

use tokio::io::AsyncReadExt as _;
use tokio::net::TcpStream;

/// Reads one request (head and `Content-Length` body) from `buffer` and the socket,
/// keeping what follows it in `buffer`; `None` when the connection ends first.
pub async fn read_request(
    socket: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Option<(String, Vec<u8>)> {
    let mut chunk = [0u8; 8192];
    let mut fill = async |socket: &mut TcpStream, buffer: &mut Vec<u8>| {
        let n = socket.read(&mut chunk).await.ok()?;
        buffer.extend_from_slice(&chunk[..n]);
        (n > 0).then_some(())
    };
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        fill(socket, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < end + 4 + length {
        fill(socket, buffer).await?;
    }
    let body = buffer[end + 4..end + 4 + length].to_vec();
    buffer.drain(..end + 4 + length);
    Some((head, body))
}
