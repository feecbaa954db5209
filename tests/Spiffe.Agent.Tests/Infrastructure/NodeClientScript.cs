namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>A tiny Node.js Workload API client (@grpc/grpc-js + @grpc/proto-loader) that loads the project's workload.proto.</summary>
internal static class NodeClientScript
{
    public const string Source = """
        const grpc = require('@grpc/grpc-js');
        const loader = require('@grpc/proto-loader');
        const [protoPath, socketPath] = process.argv.slice(2);
        const definition = loader.loadSync(protoPath, { keepCase: true, longs: String, enums: String, defaults: true });
        const api = grpc.loadPackageDefinition(definition);
        const client = new api.SpiffeWorkloadAPI('unix://' + socketPath, grpc.credentials.createInsecure());
        const metadata = new grpc.Metadata();
        metadata.add('workload.spiffe.io', 'true');
        const result = {};
        const fail = (what, error) => { console.error(what + ': ' + error.message); process.exit(1); };
        const stream = client.FetchX509SVID({}, metadata);
        let done = false;
        stream.on('data', (response) => {
          if (done) return;
          done = true;
          result.x509 = response.svids.map((s) => ({ spiffe_id: s.spiffe_id, chain: s.x509_svid.length, key: s.x509_svid_key.length, bundle: s.bundle.length }));
          stream.cancel();
          client.FetchJWTSVID({ audience: ['node-client'] }, metadata, (error, jwt) => {
            if (error) fail('FetchJWTSVID', error);
            result.jwt = jwt.svids.map((s) => ({ spiffe_id: s.spiffe_id, svid: s.svid }));
            console.log(JSON.stringify(result));
            process.exit(0);
          });
        });
        stream.on('error', (error) => { if (error.code !== grpc.status.CANCELLED) fail('FetchX509SVID', error); });
        setTimeout(() => fail('timeout', new Error('no answer within 20s')), 20000);
        """;
}
