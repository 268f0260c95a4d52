import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head does not arrive in time: counted from the
/// moment the connection opens, and again from the end of each answer on a kept-alive connection.
/// A client that sends half a header, or one byte now and then (slowloris), holds the connection
/// for `timeout` at most. (The idle timeout of the server covers a connection without any request;
/// this one also covers a head that trickles in.)
///
/// Sits after the HTTP decoder: it sees whole request heads, never bytes.
final class RequestHeadTimeout: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?
    /// Requests whose head arrived and whose answer is not written to its end yet.
    private var open = 0

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            open += 1
            cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            open = max(0, open - 1)
            if open == 0 { start(context) }
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        cancel()
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, self.open == 0 else { return }
            self.scheduled = nil
            context.close(promise: nil)
        }
    }

    private func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
