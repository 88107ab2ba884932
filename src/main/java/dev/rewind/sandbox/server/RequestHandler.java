package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.wire.message.MongoReply;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes decoded requests off the event loop: each runs on a request thread, one at a time per
 * connection and in the order received (a connection is one conversation), and its reply is
 * written when it is done. OP_MSG carries every command of current drivers; OP_QUERY on
 * {@code db.$cmd} carries the first {@code isMaster} of a handshake.
 */
final class RequestHandler extends SimpleChannelInboundHandler<ClientRequest> {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    private static final AtomicLong CONNECTIONS = new AtomicLong();
    private static final AtomicInteger REPLY_IDS = new AtomicInteger();

    private final Commands commands;
    private final ExecutorService requests;
    private final ChannelGroup channels;
    private Connection connection;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    RequestHandler(Commands commands, ExecutorService requests, ChannelGroup channels) {
        this.commands = commands;
        this.requests = requests;
        this.channels = channels;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channels.add(ctx.channel());
        connection = new Connection(CONNECTIONS.incrementAndGet(), (InetSocketAddress) ctx.channel().localAddress(),
                (InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Connection closed = connection;
        last = last.whenCompleteAsync((ok, e) -> commands.closed(closed), requests);
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientRequest request) {
        last = last.thenRunAsync(() -> {
            try {
                Object reply = handle(request);
                if (reply != null && ctx.channel().isActive()) {
                    ctx.channel().writeAndFlush(reply);
                }
            } catch (RuntimeException e) {
                log.error("request failed: {}", request, e);
                ctx.channel().close();
            }
        }, requests).exceptionally(e -> null);
    }

    private Object handle(ClientRequest request) {
        MessageHeader header = new MessageHeader(REPLY_IDS.incrementAndGet(), request.getHeader().getRequestID());
        if (request instanceof MongoMessage message) {
            Document body = message.getDocument();
            Document reply = commands.run(connection, message.getDatabaseName(), body);
            return new MongoMessage(message.getChannel(), header, reply);
        }
        MongoQuery query = (MongoQuery) request;
        if (!query.getCollectionName().equals("$cmd")) {
            Document error = new Document("$err", "OP_QUERY is no longer supported except for commands on $cmd")
                    .append("code", 5739101).append("ok", 0);
            return new MongoReply(header, List.of(error), 0);
        }
        Document command = query.getQuery();
        if (command.size() == 1 && command.get("$query") instanceof Document inner) {
            command = inner;
        }
        return new MongoReply(header, List.of(commands.run(connection, query.getDatabaseName(), command)), 0);
    }
}
