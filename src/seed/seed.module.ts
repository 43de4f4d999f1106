import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { seedDemoData } from './demo-seed';

@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed) return;
    await seedDemoData(this.dataSource);
    this.logger.log('Demo data in place (logins: admin|frontdesk|nurse|provider@demo.clinic, password demo-<role>)');
  }
}

@Module({ providers: [DemoSeeder] })
export class SeedModule {}
