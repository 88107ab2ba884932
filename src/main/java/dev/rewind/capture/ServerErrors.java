package dev.rewind.capture;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoQueryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import java.util.Set;

/**
 * Which server errors capture waits out and which stop it. Transient: the network, an election,
 * a shutdown, a server that is still starting, a cursor that timed out — retried with backoff, and
 * the streams resume where the log ends. Everything else would fail the same way on every retry
 * (an event the server cannot send, missing privileges, a bad request): capture stops and says why.
 */
final class ServerErrors {
    /** Codes the server uses for conditions that pass (src/mongo/base/error_codes.yml: network, not primary, shutdown). */
    private static final Set<Integer> TRANSIENT = Set.of(6, 7, 43, 89, 91, 133, 134, 189, 234, 262, 9001, 10107, 11600,
            11602, 13435, 13436, 63, 150, 13388);
    static final int BSON_OBJECT_TOO_LARGE = 10334;

    private ServerErrors() { }

    static boolean isTransient(MongoException e) {
        if (e instanceof MongoSocketException || e instanceof MongoTimeoutException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException) {
            return true;
        }
        if (e.hasErrorLabel("ResumableChangeStreamError") || e.hasErrorLabel("RetryableWriteError")) {
            return true;
        }
        return TRANSIENT.contains(code(e));
    }

    static RewindException fatal(MongoException e, ClusterTime covered) {
        int code = code(e);
        String at = covered == null ? "" : " (the log is complete up to " + covered + ")";
        if (code == BSON_OBJECT_TOO_LARGE) {
            return new RewindException(ExitCode.SERVER_REFUSED, "capture stopped: the server cannot send a change event "
                    + "larger than 16 MB (BSONObjectTooLarge)" + at,
                    "MongoDB 7.0 and 6.0.9+ split such events ($changeStreamSplitLargeEvent), which capture uses where "
                            + "the server has it: upgrade the server, or turn off changeStreamPreAndPostImages on the "
                            + "collection whose documents are that large (images double an event's size)", e);
        }
        if (code == 13) {
            return new RewindException(ExitCode.SERVER_REFUSED, "capture stopped: the server refused it ("
                    + firstLine(e) + ")" + at, "the user needs the changeStream and find actions on what it captures "
                    + "(the built-in role 'read' on the databases, or 'readAnyDatabase' for a deployment-wide stream)", e);
        }
        return new RewindException(ExitCode.SERVER_REFUSED, "capture stopped: the server answered an error that "
                + "retrying would not change: " + firstLine(e) + at, "fix the cause, then start capture again: it "
                + "resumes where the log ends", e);
    }

    private static int code(MongoException e) {
        return e instanceof MongoCommandException c ? c.getErrorCode()
                : e instanceof MongoQueryException q ? q.getErrorCode() : e.getCode();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
