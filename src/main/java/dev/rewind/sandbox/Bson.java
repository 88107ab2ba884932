package dev.rewind.sandbox;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Documents to BSON bytes and back, with mongo-java-server's value codecs (what goes over the wire). */
public final class Bson {
    private Bson() { }

    public static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            write(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    /**
     * Writes {@code document} as BSON at the end of {@code out}, as mongo-java-server's encoder
     * does, but walking its entries (not a lookup per key) and writing an {@link EncodedDocument}
     * as the bytes it already is.
     */
    public static void write(Map<String, ?> document, ByteBuf out) {
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
            write(fields, out);
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

    public static Document decode(byte[] bytes) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }

    /** The size of a document's BSON encoding. */
    public static int size(Document document) {
        return encode(document).length;
    }
}
