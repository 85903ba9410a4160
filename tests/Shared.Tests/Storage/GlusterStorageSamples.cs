namespace StorageHa.Shared.Tests.Storage;

/// <summary>
/// Real outputs of gluster-health.sh and storage-health.sh, captured on 2026-12-06 from GlusterFS 10.3 (Debian 12's
/// glusterfs-server) on this machine: three glusterd, one per network + mount + PID namespace (g1..g3 at 10.97.0.21-23,
/// after /work/shared/lab/recipes/parts/fz-gluster.sh), volume "vol" replica 3 over /srv/brick/vol on each (created with
/// force), FUSE-mounted at /mnt/x on every node from 10.97.0.21:/vol. Copied as the scripts printed them.
/// </summary>
internal static class GlusterStorageSamples
{
    /// <summary>gluster-health.sh vol on g1: the volume started, every brick online, nothing to heal.</summary>
    public const string Healthy = """

        @@storageha:status
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volStatus>
            <volumes>
              <volume>
                <volName>vol</volName>
                <nodeCount>6</nodeCount>
                <node>
                  <hostname>10.97.0.21</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>55221</port>
                  <ports>
                    <tcp>55221</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>245</pid>
                </node>
                <node>
                  <hostname>10.97.0.22</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>55910</port>
                  <ports>
                    <tcp>55910</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>195</pid>
                </node>
                <node>
                  <hostname>10.97.0.23</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>1</status>
                  <port>54633</port>
                  <ports>
                    <tcp>54633</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>192</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>localhost</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>262</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.22</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>213</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.23</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>209</pid>
                </node>
                <tasks/>
              </volume>
            </volumes>
          </volStatus>
        </cliOutput>
        exit 0

        @@storageha:info
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volInfo>
            <volumes>
              <volume>
                <name>vol</name>
                <id>0f817101-edf6-43a2-b688-fad5c85d22dd</id>
                <status>1</status>
                <statusStr>Started</statusStr>
                <snapshotCount>0</snapshotCount>
                <brickCount>3</brickCount>
                <distCount>1</distCount>
                <replicaCount>3</replicaCount>
                <arbiterCount>0</arbiterCount>
                <disperseCount>0</disperseCount>
                <redundancyCount>0</redundancyCount>
                <type>2</type>
                <typeStr>Replicate</typeStr>
                <transport>0</transport>
                <bricks>
                  <brick uuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">10.97.0.21:/srv/brick/vol<name>10.97.0.21:/srv/brick/vol</name><hostUuid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="218941d7-e506-4968-bb00-9edf32ad49ef">10.97.0.22:/srv/brick/vol<name>10.97.0.22:/srv/brick/vol</name><hostUuid>218941d7-e506-4968-bb00-9edf32ad49ef</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="81c80789-e52a-4822-a086-8287a19d307e">10.97.0.23:/srv/brick/vol<name>10.97.0.23:/srv/brick/vol</name><hostUuid>81c80789-e52a-4822-a086-8287a19d307e</hostUuid><isArbiter>0</isArbiter></brick>
                </bricks>
                <optCount>5</optCount>
                <options>
                  <option>
                    <name>cluster.granular-entry-heal</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>storage.fips-mode-rchecksum</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>transport.address-family</name>
                    <value>inet</value>
                  </option>
                  <option>
                    <name>nfs.disable</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>performance.client-io-threads</name>
                    <value>off</value>
                  </option>
                </options>
              </volume>
              <count>1</count>
            </volumes>
          </volInfo>
        </cliOutput>
        exit 0

        @@storageha:heal
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <healInfo>
            <bricks>
              <brick hostUuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">
                <name>10.97.0.21:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
              <brick hostUuid="218941d7-e506-4968-bb00-9edf32ad49ef">
                <name>10.97.0.22:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
              <brick hostUuid="81c80789-e52a-4822-a086-8287a19d307e">
                <name>10.97.0.23:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
            </bricks>
          </healInfo>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
        </cliOutput>
        exit 0

        @@storageha:end
        """;

    /// <summary>gluster-health.sh vol on g1 after g3's brick process (glusterfsd) was killed and five files written on g1.</summary>
    public const string BrickDead = """

        @@storageha:status
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volStatus>
            <volumes>
              <volume>
                <volName>vol</volName>
                <nodeCount>6</nodeCount>
                <node>
                  <hostname>10.97.0.21</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>55221</port>
                  <ports>
                    <tcp>55221</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>245</pid>
                </node>
                <node>
                  <hostname>10.97.0.22</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>55910</port>
                  <ports>
                    <tcp>55910</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>195</pid>
                </node>
                <node>
                  <hostname>10.97.0.23</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>0</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>-1</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>localhost</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>262</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.22</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>213</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.23</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>209</pid>
                </node>
                <tasks/>
              </volume>
            </volumes>
          </volStatus>
        </cliOutput>
        exit 0

        @@storageha:info
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volInfo>
            <volumes>
              <volume>
                <name>vol</name>
                <id>0f817101-edf6-43a2-b688-fad5c85d22dd</id>
                <status>1</status>
                <statusStr>Started</statusStr>
                <snapshotCount>0</snapshotCount>
                <brickCount>3</brickCount>
                <distCount>1</distCount>
                <replicaCount>3</replicaCount>
                <arbiterCount>0</arbiterCount>
                <disperseCount>0</disperseCount>
                <redundancyCount>0</redundancyCount>
                <type>2</type>
                <typeStr>Replicate</typeStr>
                <transport>0</transport>
                <bricks>
                  <brick uuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">10.97.0.21:/srv/brick/vol<name>10.97.0.21:/srv/brick/vol</name><hostUuid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="218941d7-e506-4968-bb00-9edf32ad49ef">10.97.0.22:/srv/brick/vol<name>10.97.0.22:/srv/brick/vol</name><hostUuid>218941d7-e506-4968-bb00-9edf32ad49ef</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="81c80789-e52a-4822-a086-8287a19d307e">10.97.0.23:/srv/brick/vol<name>10.97.0.23:/srv/brick/vol</name><hostUuid>81c80789-e52a-4822-a086-8287a19d307e</hostUuid><isArbiter>0</isArbiter></brick>
                </bricks>
                <optCount>5</optCount>
                <options>
                  <option>
                    <name>cluster.granular-entry-heal</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>storage.fips-mode-rchecksum</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>transport.address-family</name>
                    <value>inet</value>
                  </option>
                  <option>
                    <name>nfs.disable</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>performance.client-io-threads</name>
                    <value>off</value>
                  </option>
                </options>
              </volume>
              <count>1</count>
            </volumes>
          </volInfo>
        </cliOutput>
        exit 0

        @@storageha:heal
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <healInfo>
            <bricks>
              <brick hostUuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">
                <name>10.97.0.21:/srv/brick/vol</name>
                <file gfid="00000000-0000-0000-0000-000000000001">/</file>
                <file gfid="4e73834a-ab88-494c-b22a-4f6c2062f0b0">/d/f4</file>
                <file gfid="05f6e161-70fc-4a63-a796-955525c621f5">/d/f1</file>
                <file gfid="91191fa7-ce50-4361-a73a-6b5d4b6914d8">/d/f5</file>
                <file gfid="4808b8ae-88a0-4e9f-948c-4ef2f9bd7a50">/d</file>
                <file gfid="ac6cfe01-4504-4725-b10c-4bcb5bee8dca">/d/f2</file>
                <file gfid="ad58a643-f099-4729-abe8-89c3fafa41fc">/d/f3</file>
                <status>Connected</status>
                <numberOfEntries>7</numberOfEntries>
              </brick>
              <brick hostUuid="218941d7-e506-4968-bb00-9edf32ad49ef">
                <name>10.97.0.22:/srv/brick/vol</name>
                <file gfid="00000000-0000-0000-0000-000000000001">/</file>
                <file gfid="4e73834a-ab88-494c-b22a-4f6c2062f0b0">/d/f4</file>
                <file gfid="05f6e161-70fc-4a63-a796-955525c621f5">/d/f1</file>
                <file gfid="91191fa7-ce50-4361-a73a-6b5d4b6914d8">/d/f5</file>
                <file gfid="4808b8ae-88a0-4e9f-948c-4ef2f9bd7a50">/d</file>
                <file gfid="ac6cfe01-4504-4725-b10c-4bcb5bee8dca">/d/f2</file>
                <file gfid="ad58a643-f099-4729-abe8-89c3fafa41fc">/d/f3</file>
                <status>Connected</status>
                <numberOfEntries>7</numberOfEntries>
              </brick>
              <brick hostUuid="-">
                <name>10.97.0.23:/srv/brick/vol</name>
                <status>Transport endpoint is not connected</status>
                <numberOfEntries>-</numberOfEntries>
              </brick>
            </bricks>
          </healInfo>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
        </cliOutput>
        exit 0

        @@storageha:end
        """;

    /// <summary>gluster-health.sh vol on g1 after `gluster volume start vol force` restarted g3's brick.</summary>
    public const string BrickBack = """

        @@storageha:status
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volStatus>
            <volumes>
              <volume>
                <volName>vol</volName>
                <nodeCount>6</nodeCount>
                <node>
                  <hostname>10.97.0.21</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>55221</port>
                  <ports>
                    <tcp>55221</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>245</pid>
                </node>
                <node>
                  <hostname>10.97.0.22</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>55910</port>
                  <ports>
                    <tcp>55910</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>195</pid>
                </node>
                <node>
                  <hostname>10.97.0.23</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>1</status>
                  <port>59349</port>
                  <ports>
                    <tcp>59349</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>513</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>localhost</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>262</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.23</path>
                  <peerid>81c80789-e52a-4822-a086-8287a19d307e</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>209</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.22</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>213</pid>
                </node>
                <tasks/>
              </volume>
            </volumes>
          </volStatus>
        </cliOutput>
        exit 0

        @@storageha:info
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volInfo>
            <volumes>
              <volume>
                <name>vol</name>
                <id>0f817101-edf6-43a2-b688-fad5c85d22dd</id>
                <status>1</status>
                <statusStr>Started</statusStr>
                <snapshotCount>0</snapshotCount>
                <brickCount>3</brickCount>
                <distCount>1</distCount>
                <replicaCount>3</replicaCount>
                <arbiterCount>0</arbiterCount>
                <disperseCount>0</disperseCount>
                <redundancyCount>0</redundancyCount>
                <type>2</type>
                <typeStr>Replicate</typeStr>
                <transport>0</transport>
                <bricks>
                  <brick uuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">10.97.0.21:/srv/brick/vol<name>10.97.0.21:/srv/brick/vol</name><hostUuid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="218941d7-e506-4968-bb00-9edf32ad49ef">10.97.0.22:/srv/brick/vol<name>10.97.0.22:/srv/brick/vol</name><hostUuid>218941d7-e506-4968-bb00-9edf32ad49ef</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="81c80789-e52a-4822-a086-8287a19d307e">10.97.0.23:/srv/brick/vol<name>10.97.0.23:/srv/brick/vol</name><hostUuid>81c80789-e52a-4822-a086-8287a19d307e</hostUuid><isArbiter>0</isArbiter></brick>
                </bricks>
                <optCount>5</optCount>
                <options>
                  <option>
                    <name>cluster.granular-entry-heal</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>storage.fips-mode-rchecksum</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>transport.address-family</name>
                    <value>inet</value>
                  </option>
                  <option>
                    <name>nfs.disable</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>performance.client-io-threads</name>
                    <value>off</value>
                  </option>
                </options>
              </volume>
              <count>1</count>
            </volumes>
          </volInfo>
        </cliOutput>
        exit 0

        @@storageha:heal
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <healInfo>
            <bricks>
              <brick hostUuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">
                <name>10.97.0.21:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
              <brick hostUuid="218941d7-e506-4968-bb00-9edf32ad49ef">
                <name>10.97.0.22:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
              <brick hostUuid="81c80789-e52a-4822-a086-8287a19d307e">
                <name>10.97.0.23:/srv/brick/vol</name>
                <status>Connected</status>
                <numberOfEntries>0</numberOfEntries>
              </brick>
            </bricks>
          </healInfo>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
        </cliOutput>
        exit 0

        @@storageha:end
        """;

    /// <summary>gluster-health.sh vol on g1 after g3's glusterd and brick were killed: g3's brick is absent from the status.</summary>
    public const string GlusterdDown = """

        @@storageha:status
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volStatus>
            <volumes>
              <volume>
                <volName>vol</volName>
                <nodeCount>4</nodeCount>
                <node>
                  <hostname>10.97.0.21</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>55221</port>
                  <ports>
                    <tcp>55221</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>245</pid>
                </node>
                <node>
                  <hostname>10.97.0.22</hostname>
                  <path>/srv/brick/vol</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>55910</port>
                  <ports>
                    <tcp>55910</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>195</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>localhost</path>
                  <peerid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>262</pid>
                </node>
                <node>
                  <hostname>Self-heal Daemon</hostname>
                  <path>10.97.0.22</path>
                  <peerid>218941d7-e506-4968-bb00-9edf32ad49ef</peerid>
                  <status>1</status>
                  <port>N/A</port>
                  <ports>
                    <tcp>N/A</tcp>
                    <rdma>N/A</rdma>
                  </ports>
                  <pid>213</pid>
                </node>
                <tasks/>
              </volume>
            </volumes>
          </volStatus>
        </cliOutput>
        exit 0

        @@storageha:info
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
          <volInfo>
            <volumes>
              <volume>
                <name>vol</name>
                <id>0f817101-edf6-43a2-b688-fad5c85d22dd</id>
                <status>1</status>
                <statusStr>Started</statusStr>
                <snapshotCount>0</snapshotCount>
                <brickCount>3</brickCount>
                <distCount>1</distCount>
                <replicaCount>3</replicaCount>
                <arbiterCount>0</arbiterCount>
                <disperseCount>0</disperseCount>
                <redundancyCount>0</redundancyCount>
                <type>2</type>
                <typeStr>Replicate</typeStr>
                <transport>0</transport>
                <bricks>
                  <brick uuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">10.97.0.21:/srv/brick/vol<name>10.97.0.21:/srv/brick/vol</name><hostUuid>5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="218941d7-e506-4968-bb00-9edf32ad49ef">10.97.0.22:/srv/brick/vol<name>10.97.0.22:/srv/brick/vol</name><hostUuid>218941d7-e506-4968-bb00-9edf32ad49ef</hostUuid><isArbiter>0</isArbiter></brick>
                  <brick uuid="81c80789-e52a-4822-a086-8287a19d307e">10.97.0.23:/srv/brick/vol<name>10.97.0.23:/srv/brick/vol</name><hostUuid>81c80789-e52a-4822-a086-8287a19d307e</hostUuid><isArbiter>0</isArbiter></brick>
                </bricks>
                <optCount>5</optCount>
                <options>
                  <option>
                    <name>cluster.granular-entry-heal</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>storage.fips-mode-rchecksum</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>transport.address-family</name>
                    <value>inet</value>
                  </option>
                  <option>
                    <name>nfs.disable</name>
                    <value>on</value>
                  </option>
                  <option>
                    <name>performance.client-io-threads</name>
                    <value>off</value>
                  </option>
                </options>
              </volume>
              <count>1</count>
            </volumes>
          </volInfo>
        </cliOutput>
        exit 0

        @@storageha:heal
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cliOutput>
          <healInfo>
            <bricks>
              <brick hostUuid="5384fcfd-8a0b-4e38-ba5e-bd9d65fd0202">
                <name>10.97.0.21:/srv/brick/vol</name>
                <file gfid="00000000-0000-0000-0000-000000000001">/</file>
                <file gfid="9253abec-9624-4728-a7fa-0bae66ad7bd8">/during.txt</file>
                <status>Connected</status>
                <numberOfEntries>2</numberOfEntries>
              </brick>
              <brick hostUuid="218941d7-e506-4968-bb00-9edf32ad49ef">
                <name>10.97.0.22:/srv/brick/vol</name>
                <file gfid="00000000-0000-0000-0000-000000000001">/</file>
                <file gfid="9253abec-9624-4728-a7fa-0bae66ad7bd8">/during.txt</file>
                <status>Connected</status>
                <numberOfEntries>2</numberOfEntries>
              </brick>
              <brick hostUuid="-">
                <name>10.97.0.23:/srv/brick/vol</name>
                <status>Transport endpoint is not connected</status>
                <numberOfEntries>-</numberOfEntries>
              </brick>
            </bricks>
          </healInfo>
          <opRet>0</opRet>
          <opErrno>0</opErrno>
          <opErrstr/>
        </cliOutput>
        exit 0

        @@storageha:end
        """;

    /// <summary>gluster-health.sh vol on g3 itself, its glusterd killed.</summary>
    public const string NoGlusterd = """

        @@storageha:status
        Connection failed. Please check if gluster daemon is operational.
        exit 1

        @@storageha:info
        Connection failed. Please check if gluster daemon is operational.
        exit 1

        @@storageha:heal
        Connection failed. Please check if gluster daemon is operational.
        exit 1

        @@storageha:end
        """;

    /// <summary>storage-health.sh /mnt/x on g2, the volume mounted from g1 (mount -t glusterfs 10.97.0.21:/vol /mnt/x).</summary>
    public const string NodeMounted = """

        @@storageha:mounts
        485 394 0:93 / /mnt/x rw,relatime - fuse.glusterfs 10.97.0.21:/vol rw,user_id=0,group_id=0,default_permissions,allow_other,max_read=131072

        @@storageha:space
        Filesystem          1-blocks        Used   Available Capacity Mounted on
        10.97.0.21:/vol 270553174016 21567066112 80239108096      22% /mnt/x
        exit 0

        @@storageha:inodes
        Filesystem        Inodes  IUsed    IFree IUse% Mounted on
        10.97.0.21:/vol 16777216 479469 16297747    3% /mnt/x
        exit 0

        @@storageha:writable
        exit 0


        @@storageha:end
        """;

    /// <summary>storage-health.sh /mnt/x on g3 after umount /mnt/x.</summary>
    public const string NodeUnmounted = """

        @@storageha:mounts

        @@storageha:directory
        exists

        @@storageha:end
        """;

}
