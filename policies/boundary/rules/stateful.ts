/** Back-office resource types that hold records, and what each supports. */
export interface StatefulType {
  /** Property (path) that turns deletion protection on, where the service has it. */
  readonly deletionProtection?: string[];
  /** Whether AWS Backup can back it up. */
  readonly backup: boolean;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  'AWS::DynamoDB::Table': { deletionProtection: ['DeletionProtectionEnabled'], backup: true },
  'AWS::DynamoDB::GlobalTable': {
    deletionProtection: ['Replicas', '[]', 'DeletionProtectionEnabled'],
    backup: true,
  },
  'AWS::RDS::DBInstance': { deletionProtection: ['DeletionProtection'], backup: true },
  'AWS::RDS::DBCluster': { deletionProtection: ['DeletionProtection'], backup: true },
  'AWS::DocDB::DBCluster': { deletionProtection: ['DeletionProtection'], backup: true },
  'AWS::Neptune::DBCluster': { deletionProtection: ['DeletionProtection'], backup: true },
  'AWS::EFS::FileSystem': { backup: true },
  'AWS::EC2::Volume': { backup: true },
  'AWS::S3::Bucket': { backup: true },
  'AWS::FSx::FileSystem': { backup: true },
  'AWS::Redshift::Cluster': { backup: true },
  'AWS::KMS::Key': { backup: false },
};
