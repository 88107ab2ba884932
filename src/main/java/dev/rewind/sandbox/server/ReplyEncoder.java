package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.wire.OpCode;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import dev.rewind.sandbox.Bson;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes OP_MSG replies (one body section), as mongo-java-server's encoder does, with
 * {@link Bson#write}: an {@link dev.rewind.sandbox.EncodedDocument} anywhere in the reply goes out
 * as the bytes it already is.
 */
final class ReplyEncoder extends MessageToByteEncoder<MongoMessage> {
    @Override
    protected void encode(ChannelHandlerContext ctx, MongoMessage message, ByteBuf buf) {
        int start = buf.writerIndex();
        buf.writeIntLE(0);
        buf.writeIntLE(message.getHeader().getRequestID());
        buf.writeIntLE(message.getHeader().getResponseTo());
        buf.writeIntLE(OpCode.OP_MSG.getId());
        buf.writeIntLE(message.getFlags());
        buf.writeByte(MongoMessage.SECTION_KIND_BODY);
        try {
            Bson.write(message.getDocument(), buf);
        } catch (RuntimeException e) {
            ctx.channel().close();
            throw e;
        }
        buf.setIntLE(start, buf.writerIndex() - start);
    }
}
