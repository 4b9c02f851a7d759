/**
 * What the daemon's listeners share: {@link io.steep.repl.daemon.net.PortOwner}, the "port already in use" message
 * (which process holds the port) for gRPC ({@code grpc}) and HTTP health ({@code health}).
 */
package io.steep.repl.daemon.net;
