package dev.rewind.sandbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's replies are OP_MSG (MongoDB manual, "MongoDB Wire Protocol": a 16-byte header,
 * flag bits, then a kind-0 section holding one BSON document). A reply holding a value BSON has no
 * type for is the sandbox's own bug; the client must get an error naming it on a connection that
 * stays open, not a closed socket it would take for a network failure.
 */
class ReplyEncoderTest {
    @Test
    void aReplyThatCannotBeEncodedBecomesAnInternalErrorAndTheConnectionStays() {
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyEncoder());
        channel.writeOutbound(new MongoMessage(channel, new MessageHeader(7, 3), new Document("ok", 1.0).append("n", 5)));
        channel.writeOutbound(new MongoMessage(channel, new MessageHeader(8, 4), new Document("ok", 1.0).append("when", new Object())));

        RawBsonDocument good = body(channel.readOutbound(), 7, 3);
        assertThat(good.getInt32("n").getValue()).isEqualTo(5);
        RawBsonDocument bad = body(channel.readOutbound(), 8, 4);
        assertThat(bad.getDouble("ok").getValue()).isZero();
        assertThat(bad.getInt32("code").getValue()).isEqualTo(1);
        assertThat(bad.getString("codeName").getValue()).isEqualTo("InternalError");
        assertThat(bad.getString("errmsg").getValue()).contains("could not encode");
        assertThat(channel.isActive()).isTrue();
        channel.finishAndReleaseAll();
    }

    /** The message's one body document, after checking its header. */
    private static RawBsonDocument body(ByteBuf buf, int requestId, int responseTo) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("messageLength").isEqualTo(bytes.length);
        assertThat(b.getInt(4)).isEqualTo(requestId);
        assertThat(b.getInt(8)).isEqualTo(responseTo);
        assertThat(b.getInt(12)).as("OP_MSG").isEqualTo(2013);
        assertThat(bytes[20]).as("a body section").isEqualTo((byte) 0);
        int length = b.getInt(21);
        assertThat(21 + length).isEqualTo(bytes.length);
        return new RawBsonDocument(bytes, 21, length);
    }
}
