package dev.rewind.bench;

import dev.rewind.cli.Main;
import dev.rewind.repo.store.S3Server;

/**
 * {@code rewind bench storage} against S3Proxy on loopback (not a test: run by hand, see
 * docs/benchmarks.md, "Storage"). Arguments are passed on to the command ({@code --docs N}).
 */
public final class StorageBenchOnS3Proxy {
    private StorageBenchOnS3Proxy() { }

    public static void main(String[] args) {
        S3Server s3 = S3Server.get();
        String[] all = new String[args.length + 4];
        all[0] = "bench";
        all[1] = "storage";
        all[2] = "--s3";
        all[3] = "s3://" + s3.newBucket() + "?endpoint=" + s3.endpoint();
        System.arraycopy(args, 0, all, 4, args.length);
        System.exit(Main.run(all));
    }
}
