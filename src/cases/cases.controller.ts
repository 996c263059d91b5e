import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { CaseResponse, CreateCaseDto, UpdateCaseDto } from './case.dto';
import { CasesService } from './cases.service';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(private readonly service: CasesService) {}

  @Post()
  create(@Body() dto: CreateCaseDto): Promise<CaseResponse> {
    return this.service.create(dto);
  }

  @Get(':id')
  get(@Param('id', EntityIdPipe) id: string): Promise<CaseResponse> {
    return this.service.get(id);
  }

  @Put(':id')
  update(@Param('id', EntityIdPipe) id: string, @Body() dto: UpdateCaseDto): Promise<CaseResponse> {
    return this.service.update(id, dto.facts);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id', EntityIdPipe) id: string): Promise<void> {
    return this.service.delete(id);
  }
}
