package dev.rewind.repo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

/** The contract, against a real S3 server (S3Proxy on loopback) through the AWS SDK. */
class S3StoreTest extends ByteStoreContract {
    private S3Location where;

    @Override
    protected ByteStore newStore() {
        where = S3Location.parse(S3Server.get().newLocation());
        return S3Store.open(where);
    }

    @Override
    protected List<String> everythingStored() throws IOException {
        // the whole bucket, not only the prefix: nothing may be left beside it either
        S3Store bucket = S3Store.open(new S3Location(where.bucket(), "", where.endpoint(), null, true, true));
        String prefix = where.prefix() + "/";
        List<String> all = bucket.list("");
        assertThat(all).allMatch(n -> n.startsWith(prefix));
        return all.stream().map(n -> n.substring(prefix.length())).toList();
    }
}
