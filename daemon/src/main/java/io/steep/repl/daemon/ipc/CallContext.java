package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.transport.PeerIdentity;

/** What a handler knows about the call besides its params: who asked, on which connection. */
public final class CallContext {

    private final String requestId;
    private final PeerIdentity peer;
    private final ConnectionSession session;
    private Runnable afterAnswer;

    CallContext(String requestId, PeerIdentity peer, ConnectionSession session) {
        this.requestId = requestId;
        this.peer = peer;
        this.session = session;
    }

    public String requestId() {
        return requestId;
    }

    public PeerIdentity peer() {
        return peer;
    }

    ConnectionSession session() {
        return session;
    }

    /** Runs {@code action} once this call's answer is queued (so e.g. no event overtakes the subscribe answer). */
    void afterAnswer(Runnable action) {
        this.afterAnswer = action;
    }

    Runnable afterAnswer() {
        return afterAnswer;
    }
}
