import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Public, Roles } from '../auth/auth.decorators';
import { Access, param } from './access.decorators';
import { ClinicAccess } from './clinic-access.service';
import { ClinicScopeGuard } from './clinic-scope.guard';

@Controller('things')
class ThingsController {
  @Access({ appointment: param('id') })
  @Get(':id')
  declared() {}

  @Get()
  forgotten() {}

  @Public()
  @Post('public')
  open() {}

  @Roles('admin')
  @Post()
  adminOnly() {}

  @Roles('nurse')
  @Post('nurses')
  nursesForgotten() {}
}

describe('ClinicScopeGuard at start-up', () => {
  it('names every route without a scoping declaration and refuses to start', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      controllers: [ThingsController],
      providers: [ClinicScopeGuard, { provide: ClinicAccess, useValue: {} }],
    }).compile();
    const sut = moduleRef.get(ClinicScopeGuard);
    expect(sut.undeclaredRoutes().sort()).toEqual(['GET /things', 'POST /things/nurses']);
    await expect(moduleRef.init()).rejects.toThrow(/GET \/things, POST \/things\/nurses|POST \/things\/nurses, GET \/things/);
  });
});
