/**
 * A kafkajs partition assigner that gives partition number p of every
 * subscribed topic to the same member: p mod (members), over the sorted
 * member ids. aegis.inference.v1 and aegis.labels.v1 are both keyed by model
 * id with the same partition count and the default (murmur2) partitioner, so
 * a model's events and its labels land on the same partition number, and
 * this assignment keeps them on the same engine — the join by eventId is
 * local in any group size. (kafkajs' RoundRobin assigner deals the
 * partitions of all topics in one sequence, so with two members one got
 * inference [0, 2] and labels [1]: labels landed where their model was not.)
 * This is Kafka Streams' co-partitioning requirement, met by the assignor.
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

export const COPARTITIONED = 'AegisCoPartitioned';

export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: COPARTITIONED,
  version: 0,
  async assign({ members, topics }) {
    const ids = members.map((m) => m.memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(ids.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const own = assignment.get(ids[partitionId % ids.length])!;
        (own[topic] ??= []).push(partitionId);
      }
    }
    return ids.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: assignment.get(memberId)!, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: COPARTITIONED, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
