package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.OpCode;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import dev.rewind.sandbox.EncodedDocument;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Writes OP_MSG replies (one body section), as mongo-java-server's encoder does, except that an
 * {@link EncodedDocument} anywhere in the reply is written as the bytes it already is.
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
            document(message.getDocument(), buf);
        } catch (RuntimeException e) {
            ctx.channel().close();
            throw e;
        }
        buf.setIntLE(start, buf.writerIndex() - start);
    }

    private static void document(Map<String, ?> document, ByteBuf out) {
        int start = out.writerIndex();
        out.writeIntLE(0);
        for (Map.Entry<String, ?> e : document.entrySet()) {
            element(e.getKey(), e.getValue(), out);
        }
        out.writeByte(BsonConstants.TERMINATING_BYTE);
        out.setIntLE(start, out.writerIndex() - start);
    }

    private static void array(Collection<?> values, ByteBuf out) {
        int start = out.writerIndex();
        out.writeIntLE(0);
        int i = 0;
        for (Object v : values) {
            element(Integer.toString(i++), v, out);
        }
        out.writeByte(BsonConstants.TERMINATING_BYTE);
        out.setIntLE(start, out.writerIndex() - start);
    }

    private static void element(String key, Object value, ByteBuf out) {
        if (value instanceof EncodedDocument encoded) {
            name(BsonConstants.TYPE_EMBEDDED_DOCUMENT, key, out);
            encoded.writeTo(out);
        } else if (value instanceof Map<?, ?> map) {
            name(BsonConstants.TYPE_EMBEDDED_DOCUMENT, key, out);
            @SuppressWarnings("unchecked")
            Map<String, ?> fields = (Map<String, ?>) map;
            document(fields, out);
        } else if (value instanceof Collection<?> values) {
            name(BsonConstants.TYPE_ARRAY, key, out);
            array(values, out);
        } else {
            byte type = BsonEncoder.determineType(value);
            name(type, key, out);
            BsonEncoder.encodeValue(type, value, out);
        }
    }

    private static void name(byte type, String key, ByteBuf out) {
        out.writeByte(type);
        out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }
}
