import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * The way an operator reaches the database, which has no public endpoint: a t4g.nano in the
 * private subnets that Session Manager port forwarding goes through
 * (`npm run ops -- db-connect`: AWS-StartPortForwardingSessionToRemoteHost to the RDS endpoint).
 *
 * - No inbound rule at all, no SSH key, no public IP: the SSM agent dials out (through the NAT)
 *   and sessions are authorised by IAM (ssm:StartSession) and logged by CloudTrail.
 * - Egress: HTTPS to the SSM endpoints and the database port (added by the caller with
 *   `database.connections.allowDefaultPortFrom(bastion)`), nothing else.
 * - IMDSv2 only; encrypted gp3 root volume.
 * - Cost: $0.0042/h ≈ $3.07/month while running, ≈ $0.64/month (8 GB gp3) while stopped.
 *   db-connect starts it when needed and stops it again when it was the one that started it.
 */
export interface BastionProps {
  readonly vpc: ec2.IVpc;
}

export class Bastion extends Construct implements ec2.IConnectable {
  readonly instance: ec2.Instance;
  readonly securityGroup: ec2.SecurityGroup;
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Collections bastion: SSM port forwarding to the database; no inbound rules',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'SSM agent to the Systems Manager endpoints (via the NAT)');

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Collections bastion: Session Manager only',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });

    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO),
      // Resolved by CloudFormation from the public SSM parameter at deploy time: synth stays offline.
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      securityGroup: this.securityGroup,
      role,
      requireImdsv2: true,
      associatePublicIpAddress: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
        },
      ],
    });
    this.connections = this.instance.connections;

    acknowledge(this.instance, [
      ['AwsSolutions-EC28', 'Detailed monitoring ($2.10/month) would cost more than the bastion; it is stopped most of the time.'],
      ['AwsSolutions-EC29', 'The bastion holds no state: replacing it (a redeploy) is the recovery, so no termination protection or ASG.'],
    ]);
    acknowledge(role, [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        'AmazonSSMManagedInstanceCore is the policy AWS maintains for the SSM agent (Session Manager); a hand-written copy would drift from what the agent needs.',
      ],
    ]);
  }
}
