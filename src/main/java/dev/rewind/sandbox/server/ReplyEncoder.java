package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.OpCode;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import dev.rewind.sandbox.Bson;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes OP_MSG replies (one body section), as mongo-java-server's encoder does, with
 * {@link Bson#write}: an {@link dev.rewind.sandbox.EncodedDocument} anywhere in the reply goes out
 * as the bytes it already is. A reply it cannot encode (a value of a type BSON lacks: a bug in the
 * sandbox) goes out as an {@code InternalError} naming the cause, and is logged; the connection stays.
 */
final class ReplyEncoder extends MessageToByteEncoder<MongoMessage> {
    private static final Logger log = LoggerFactory.getLogger(ReplyEncoder.class);

    @Override
    protected void encode(ChannelHandlerContext ctx, MongoMessage message, ByteBuf buf) {
        int start = buf.writerIndex();
        buf.writeIntLE(0);
        buf.writeIntLE(message.getHeader().getRequestID());
        buf.writeIntLE(message.getHeader().getResponseTo());
        buf.writeIntLE(OpCode.OP_MSG.getId());
        buf.writeIntLE(message.getFlags());
        buf.writeByte(MongoMessage.SECTION_KIND_BODY);
        int body = buf.writerIndex();
        try {
            Bson.write(message.getDocument(), buf);
        } catch (RuntimeException e) {
            // a reply the sandbox cannot encode is its own bug: say so to the client and in the log, keep the connection
            log.error("could not encode a reply: {}", e.toString(), e);
            buf.writerIndex(body);
            Bson.write(new Document("ok", 0.0).append("errmsg", "the Rewind sandbox could not encode its reply: " + e
                    + " (a bug in the sandbox; its log has the stack trace, and the connection can be used on)")
                    .append("code", 1).append("codeName", "InternalError"), buf);
        }
        buf.setIntLE(start, buf.writerIndex() - start);
    }
}
