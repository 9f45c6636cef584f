import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, removeOutdirs, resource, resourcesOfType, synthesize, type Synthesized } from './helpers.js';

/** The bastion of `ops db-connect`: reachable only through Session Manager, and only to the database. */
let dev: Synthesized;

/**
 * A rule's port: a number, or the database's own port (allowDefaultPortFrom writes
 * Fn::GetAtt Endpoint.Port of the instance; PostgreSQL's is 5432 unless the template sets Port).
 */
function port(value: unknown): unknown {
  const dbId = logicalIdOf(dev.stack.database.instance);
  if (JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [dbId, 'Endpoint.Port'] })) {
    return Number(dev.json.Resources[dbId]!.Properties.Port ?? 5432);
  }
  return value;
}
beforeAll(() => {
  dev = synthesize('dev');
}, 120_000);
afterAll(removeOutdirs);

describe('bastion (SSM port forwarding to RDS)', () => {
  it('is a t4g.nano in the private subnets with IMDSv2 required, an encrypted root volume, and no public IP', () => {
    const instance = resource(dev.json, dev.stack.bastion.instance);
    expect(instance.Type).toBe('AWS::EC2::Instance');
    expect(instance.Properties.InstanceType).toBe('t4g.nano');
    const volumes = instance.Properties.BlockDeviceMappings as { Ebs: { Encrypted: boolean; VolumeType: string } }[];
    expect(volumes.map((v) => [v.Ebs.Encrypted, v.Ebs.VolumeType])).toEqual([[true, 'gp3']]);
    // requireImdsv2 is carried by a launch template.
    const templates = resourcesOfType(dev.json, 'AWS::EC2::LaunchTemplate').filter(([id]) => id.startsWith('Bastion'));
    expect(templates).toHaveLength(1);
    expect(templates[0]![1].Properties.LaunchTemplateData.MetadataOptions.HttpTokens).toBe('required');
    // In a private-with-egress ("functions") subnet of the VPC, never a public one.
    const [nic] = instance.Properties.NetworkInterfaces as { SubnetId: unknown; AssociatePublicIpAddress: boolean }[];
    expect(JSON.stringify(nic!.SubnetId)).toMatch(/functionsSubnet1/);
    expect(nic!.AssociatePublicIpAddress).toBe(false);
    // Amazon Linux 2023 for arm64, resolved from AWS's public SSM parameter at deploy time.
    expect(JSON.stringify(instance.Properties.ImageId)).toMatch(/al2023.*arm64/);
  });

  it('has no inbound rules and only HTTPS and the database port outbound', () => {
    const sgId = logicalIdOf(dev.stack.bastion.securityGroup);
    const sg = dev.json.Resources[sgId]!;
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const ingressRules = resourcesOfType(dev.json, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
      JSON.stringify(r.Properties.GroupId).includes(sgId),
    );
    expect(ingressRules).toEqual([]);
    const egress = [
      ...(sg.Properties.SecurityGroupEgress ?? []),
      ...resourcesOfType(dev.json, 'AWS::EC2::SecurityGroupEgress')
        .filter(([, r]) => JSON.stringify(r.Properties.GroupId).includes(sgId))
        .map(([, r]) => r.Properties),
    ] as { FromPort: number; ToPort: number; CidrIp?: string }[];
    expect(egress.map((e) => [port(e.FromPort), port(e.ToPort), e.CidrIp ?? 'sg']).sort()).toEqual([
      [443, 443, '0.0.0.0/0'],
      [5432, 5432, 'sg'],
    ]);
  });

  it('lets the database security group accept it on 5432 only', () => {
    const sgId = logicalIdOf(dev.stack.bastion.securityGroup);
    const rules = resourcesOfType(dev.json, 'AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.SourceSecurityGroupId ?? '').includes(sgId));
    expect(rules).toHaveLength(1);
    expect([rules[0].IpProtocol, port(rules[0].FromPort), port(rules[0].ToPort)]).toEqual(['tcp', 5432, 5432]);
    const dbSgs = dev.stack.database.instance.connections.securityGroups.map((g) => logicalIdOf(g));
    expect(dbSgs.some((id) => JSON.stringify(rules[0].GroupId).includes(id))).toBe(true);
  });

  it('has the Session Manager managed policy and nothing else', () => {
    const roles = resourcesOfType(dev.json, 'AWS::IAM::Role').filter(([id]) => id.startsWith('BastionRole'));
    expect(roles).toHaveLength(1);
    const role = roles[0]![1];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AmazonSSMManagedInstanceCore');
    expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(
      resourcesOfType(dev.json, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roles[0]![0])),
    ).toEqual([]);
  });

  it('is named in the outputs for ops db-connect', () => {
    expect(dev.json.Outputs?.BastionInstanceId?.Value).toEqual({ Ref: logicalIdOf(dev.stack.bastion.instance) });
  });
});
