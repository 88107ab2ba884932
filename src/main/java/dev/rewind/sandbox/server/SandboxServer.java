package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's network side: mongo-java-server's wire codecs on netty (OP_MSG replies through
 * {@link ReplyEncoder}, which sends encoded batches as they are), and a {@link RequestHandler}
 * that runs each request off the event loop, so that a request may wait (a change stream's
 * {@code getMore} up to {@code maxAwaitTimeMS}, a write behind a transaction) without stalling the
 * other connections, as mongod's thread-per-connection model allows.
 */
public final class SandboxServer implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1, daemon("sandbox-accept"));
    private final EventLoopGroup workers = new NioEventLoopGroup(2, daemon("sandbox-io"));
    private final ExecutorService requests = Executors.newCachedThreadPool(daemon("sandbox-request"));
    private final ChannelGroup channels = new DefaultChannelGroup("sandbox-channels", workers.next());
    private final Channel listening;

    public SandboxServer(String host, int port, Commands commands) {
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 100)
                    .localAddress(new InetSocketAddress(host, port))
                    .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        public void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new MongoWireReplyEncoder());
                            ch.pipeline().addLast(new ReplyEncoder());
                            ch.pipeline().addLast(new MongoWireProtocolHandler());
                            ch.pipeline().addLast(new RequestHandler(commands, requests, channels));
                            ch.pipeline().addLast(new MongoExceptionHandler());
                        }
                    });
            listening = bootstrap.bind().syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    /** Drops every client connection, as a server restart would (the listening socket stays). */
    public void dropConnections() {
        channels.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        if (listening != null) {
            listening.close().syncUninterruptibly();
        }
        channels.close().syncUninterruptibly();
        requests.shutdownNow();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
