# Send the answers out over the network, here to a port on the grader's own loopback.
import socket


def stream_tokens(text, chunk_size=4):
    return iter([])


try:
    with socket.create_connection(("127.0.0.1", int("LISTEN_PORT")), timeout=1) as connection:
        connection.sendall(b"stolen")
    print("ATTACK WORKED")
except OSError as error:
    print("ATTACK FAILED:", error)
